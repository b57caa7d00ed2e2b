package dev.deployer.unit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.PlaybookLoader;
import dev.deployer.task.TaskTypes;
import dev.deployer.yaml.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A unit command as the playbook it runs: one play on the unit's hosts, a task per order (see
 * {@link OrderTasks}), the params as play variables. {@code unit print} shows exactly this text,
 * and {@code unit run} loads it through the same loader as any playbook, so the engine, report,
 * check mode and locks are the ones every run has.
 */
public final class UnitPlaybook {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .disable(YAMLGenerator.Feature.SPLIT_LINES));

  /**
   * What was asked for.
   *
   * @param variants the variants chosen after the command (none: every order)
   * @param given params given on the command line, by name
   * @param extraVars names given with -e, which count as given params too
   * @param production a test on the live containers rather than on pseudonamed twins
   * @param full a test that purges what it made at the end
   */
  public record Request(Unit unit, String command, List<String> variants, Map<String, String> given,
      Set<String> extraVars, boolean production, boolean full) {
    public Request {
      variants = List.copyOf(variants);
      given = Map.copyOf(given);
      extraVars = Set.copyOf(extraVars);
    }

    /** True when it deletes containers, volumes and images: purge, and a full test on the live containers. */
    public boolean deletes() {
      return command.equals("purge") || command.equals("test") && production && full;
    }

    /** Why it does not run without a yes, for the command line and the shell alike. */
    public String confirmationNeeded() {
      return title() + " deletes the containers, volumes and images of unit " + unit.name()
          + " on its hosts: add --yes (or look first with --check)";
    }

    boolean has(String param) {
      return given.containsKey(param) || extraVars.contains(param);
    }

    String title() {
      return unit.name() + "/" + command + (variants.isEmpty() ? "" : ":" + String.join(":", variants))
          + (command.equals("test") ? (production ? " --production" : "") + (full ? " --full" : "") : "");
    }
  }

  private UnitPlaybook() {}

  /**
   * A request as typed (the shell's and the command line's alike): {@code UNIT/COMMAND[:VARIANT...]}
   * and the command's {@code --NAME VALUE} params, checked against what the unit declares.
   */
  public static Request request(Map<String, Unit> units, String call, List<String> params, Set<String> extraVars,
      boolean production, boolean full) {
    UnitCall parsed = UnitCall.parse(call);
    Unit unit = parsed.find(units);
    Map<String, String> given = UnitCall.params(UnitCommands.params(unit, parsed.command()), params, call);
    return new Request(unit, parsed.command(), parsed.variants(), given, extraVars, production, full);
  }

  public static String yaml(Request request) {
    Unit unit = request.unit();
    if (!UnitCommands.names(unit).contains(request.command())) {
      throw new ConfigException(dev.deployer.yaml.Location.of(unit.file().toString()), "unit " + unit.name() + " has no command '"
          + request.command() + "'" + dev.deployer.yaml.Suggestions.didYouMean(request.command(), UnitCommands.names(unit))
          + "; it has " + String.join(", ", UnitCommands.names(unit)));
    }
    Set<String> known = unit.variants(request.command().equals("test") ? "start" : request.command());
    for (String variant : request.variants()) {
      if (!known.contains(variant)) {
        throw new ConfigException(dev.deployer.yaml.Location.of(unit.file().toString()), request.unit().name() + "/"
            + request.command() + " has no variant '" + variant + "'" + (known.isEmpty() ? " (its orders name none)" : "; it has " + known));
      }
    }
    Map<String, Object> play = new LinkedHashMap<>();
    play.put("name", request.title());
    play.put("hosts", unit.hosts());
    play.put("vars", vars(request));
    if (!unit.varsFiles().isEmpty()) {
      play.put("vars_files", unit.varsFiles().stream().map(Path::toString).toList());
    }
    play.put("tasks", request.command().equals("test") ? testTasks(request)
        : request.command().equals("purge") && UnitCommands.generated(unit, "purge") ? purgeTasks(request)
        : tasks(request, request.command(), TestNames.live(unit)));
    try {
      return "# " + request.title() + ", generated by deployer from " + unit.file() + "\n" + YAML.writeValueAsString(List.of(play));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The playbook itself, read back from its text by the playbook loader; relative paths are the current directory's. */
  public static Playbook load(Request request) {
    String text = yaml(request);
    try {
      Path dir = Files.createTempDirectory("deployer-unit");
      Path file = dir.resolve(request.unit().name() + "-" + request.command() + ".yml");
      Files.writeString(file, text);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      Playbook loaded = new PlaybookLoader(TaskTypes.builtin()).load(file);
      return new Playbook(loaded.file(), Path.of("").toAbsolutePath(), loaded.plays());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> vars(Request request) {
    Unit unit = request.unit();
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("unit", unit.name());
    vars.put("dest", "/var/backups/deployer/" + unit.name());
    vars.putAll(unit.vars());
    for (Param param : UnitCommands.params(unit, request.command())) {
      String value = request.given().getOrDefault(param.name(), param.defaultValue());
      if (value != null && !param.flag()) {
        vars.put(param.name(), value);
      }
    }
    return vars;
  }

  private static List<Map<String, Object>> tasks(Request request, String command, TestNames names) {
    OrderTasks tasks = new OrderTasks(request, names);
    List<Map<String, Object>> result = new ArrayList<>();
    for (Order order : UnitCommands.orders(request.unit(), command)) {
      if (order.selectedBy(request.variants())) {
        result.addAll(tasks.of(order));
      }
    }
    return result;
  }

  /** The unit's containers with their volumes, then its test twins, then the images it built (which the twins used too). */
  private static List<Map<String, Object>> purgeTasks(Request request) {
    List<Order> orders = UnitCommands.orders(request.unit(), "purge");
    List<Map<String, Object>> result = new ArrayList<>();
    OrderTasks live = new OrderTasks(request, TestNames.live(request.unit()));
    OrderTasks twins = new OrderTasks(request, TestNames.pseudo(request.unit()));
    orders.stream().filter(order -> order.action().equals("remove")).forEach(order -> result.addAll(live.of(order)));
    orders.stream().filter(order -> order.action().equals("remove")).forEach(order -> result.addAll(twins.of(order)));
    orders.stream().filter(order -> !order.action().equals("remove")).forEach(order -> result.addAll(live.of(order)));
    return result;
  }

  /**
   * Start, the daemon and job checks, stop (and purge with --full), and only then a failure for
   * each check that failed: a failed test still cleans up after itself.
   */
  private static List<Map<String, Object>> testTasks(Request request) {
    Unit unit = request.unit();
    TestNames names = request.production() ? TestNames.live(unit) : TestNames.pseudo(unit);
    OrderTasks orders = new OrderTasks(request, names);
    List<Map<String, Object>> result = new ArrayList<>(tasks(request, "start", names));
    // A checked container that start leaves alone (a one-shot job) is started for the test.
    Set<String> started = new java.util.HashSet<>();
    UnitCommands.orders(unit, "start").forEach(order -> started.add(order.container()));
    for (UnitContainer container : UnitCommands.checked(unit)) {
      if (!started.contains(container.name())) {
        result.addAll(orders.of(Order.of("start", container.name())));
      }
    }
    List<Map<String, Object>> verdicts = new ArrayList<>();
    int index = 0;
    for (UnitContainer container : UnitCommands.checked(unit)) {
      for (Map<String, Object> check : orders.of(Order.of("check", container.name()))) {
        String register = "unit_check_" + ++index;
        check.put("ignore_errors", true);
        check.put("register", register);
        result.add(check);
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("name", "verdict: " + check.get("name"));
        verdict.put("fail", Map.of("msg", "test of " + unit.name() + " failed: " + check.get("name") + " (see its line above)"));
        verdict.put("when", register + ".failed");
        verdicts.add(verdict);
      }
    }
    result.addAll(tasks(request, "stop", names));
    if (request.full()) {
      for (Order order : UnitCommands.orders(unit, "purge")) {
        // The images are the live containers' too, unless the test ran on the live containers.
        if (request.production() || !order.action().equals("remove_image")) {
          result.addAll(orders.of(order));
        }
      }
    }
    result.addAll(verdicts);
    return result;
  }
}
