package dev.deployer.unit;

import java.util.List;

/**
 * A value a unit command takes from its command line ({@code --name VALUE}), the seed's
 * add_argument: it becomes a variable of the generated play.
 *
 * @param defaultValue the value when none is given, or null: then the variable is left undefined
 * @param flag true for one given without a value ({@code --force})
 */
public record Param(String name, List<String> choices, String defaultValue, String help, boolean flag) {
  public Param {
    choices = List.copyOf(choices);
  }

  static Param of(String name, String defaultValue, String help) {
    return new Param(name, List.of(), defaultValue, help, false);
  }

  static Param flag(String name, String help) {
    return new Param(name, List.of(), null, help, true);
  }

  /** As {@code unit list} and errors show it. */
  public String usage() {
    String value = flag ? "" : " " + (choices.isEmpty() ? name.toUpperCase(java.util.Locale.ROOT) : String.join("|", choices));
    return "--" + name + value + (defaultValue == null ? "" : " (default: " + defaultValue + ")")
        + (help == null ? "" : ": " + help);
  }
}
