package dev.deployer.unit;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Suggestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user types to name a unit command, the seed's {@code UNIT/COMMAND[:variant...]}, with
 * the command's params given as {@code --name VALUE}, {@code --name=VALUE} or a bare {@code --flag}.
 */
public record UnitCall(String unit, String command, List<String> variants) {
  public UnitCall {
    variants = List.copyOf(variants);
  }

  public static UnitCall parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new ConfigException(null, "'" + text + "' is not UNIT/COMMAND (such as gitea/start or gitea/start:prod)");
    }
    String[] commandAndVariants = text.substring(slash + 1).split(":", -1);
    List<String> variants = Arrays.asList(commandAndVariants).subList(1, commandAndVariants.length);
    if (variants.stream().anyMatch(String::isBlank)) {
      throw new ConfigException(null, "'" + text + "' has an empty variant");
    }
    return new UnitCall(text.substring(0, slash), commandAndVariants[0], variants);
  }

  public Unit find(Map<String, Unit> units) {
    Unit found = units.get(unit);
    if (found == null) {
      throw new ConfigException(null, "no unit '" + unit + "'" + Suggestions.didYouMean(unit, units.keySet())
          + (units.isEmpty() ? " (the units directory has none)" : "; there are " + String.join(", ", units.keySet())));
    }
    return found;
  }

  /** The params given, checked against those the command declares (names, choices, values). */
  public static Map<String, String> params(List<Param> declared, List<String> args, String where) {
    Map<String, Param> byName = new LinkedHashMap<>();
    declared.forEach(param -> byName.put(param.name(), param));
    Map<String, String> given = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty()) {
      String arg = rest.remove(0);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new ConfigException(null, "unexpected '" + arg + "' after " + where);
      }
      String name = arg.substring(2);
      String value = null;
      if (name.contains("=")) {
        value = name.substring(name.indexOf('=') + 1);
        name = name.substring(0, name.indexOf('='));
      }
      Param param = byName.get(name.replace('-', '_'));
      if (param == null) {
        throw new ConfigException(null, where + " has no option --" + name + Suggestions.didYouMean(name, byName.keySet())
            + (byName.isEmpty() ? " (it takes none)" : "; it takes " + declared.stream().map(p -> "--" + p.name()).toList()));
      }
      if (param.flag()) {
        if (value != null) {
          throw new ConfigException(null, "--" + name + " takes no value");
        }
        value = "true";
      } else if (value == null) {
        if (rest.isEmpty()) {
          throw new ConfigException(null, "--" + name + " needs a value");
        }
        value = rest.remove(0);
      }
      if (!param.choices().isEmpty() && !param.choices().contains(value)) {
        throw new ConfigException(null, "--" + name + " must be one of " + param.choices() + ", not '" + value + "'");
      }
      given.put(param.name(), value);
    }
    return given;
  }
}
