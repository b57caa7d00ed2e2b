package dev.deployer.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.TaskSpec;
import dev.deployer.yaml.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit files as read, and the playbooks their commands become (no host needed). */
class UnitPlaybookTest {
  private static final String WEB_UNIT = """
      containers:
        store:
          data: true
          image: example/base:1
          volumes: ["store-data:/data"]
          command: ["true"]
        web:
          image: example/web:1
          volumes_from: [store]
          ports: ["8080:80"]
          daemon:
            - url: "http://{{container_ip.web}}:80/"
              match: hello
        probe:
          image: example/base:1
          command: [sh, -c, "echo ok"]
          job: {exit_code: 0, log_match: ok}
      commands:
        start:
          - create: store
          - start: web
          - exec: web
            run: [echo, a]
            variants: [a]
          - exec: web
            run: [echo, b]
            variants: [b]
      """;

  @TempDir Path dir;

  private Unit unit(String name, String text) throws IOException {
    Path file = dir.resolve(name + ".yml");
    Files.writeString(file, text);
    return UnitLoader.load(file);
  }

  private static UnitPlaybook.Request request(Unit unit, String command, List<String> variants) {
    return new UnitPlaybook.Request(unit, command, variants, Map.of(), Set.of(), false, false);
  }

  private static List<String> taskNames(Playbook book) {
    return book.plays().get(0).tasks().stream().map(TaskSpec::displayName).toList();
  }

  @Test
  void theCheckedInGitoliteUnitMakesAPlaybookForEveryCommand() {
    Map<String, Unit> units = UnitLoader.loadAll(Path.of("playbooks/units"));
    Unit gitolite = units.get("gitolite");
    for (String command : UnitCommands.names(gitolite)) {
      Playbook book = UnitPlaybook.load(request(gitolite, command, List.of()));
      assertEquals("gitolite/" + command, book.plays().get(0).name());
      assertEquals("git", book.plays().get(0).hosts());
    }
    for (boolean production : List.of(true, false)) {
      UnitPlaybook.load(new UnitPlaybook.Request(gitolite, "test", List.of(), Map.of(), Set.of(), production, true));
    }
  }

  @Test
  void aVariantSelectsItsOrdersAndThoseOfNone() throws IOException {
    Unit unit = unit("web", WEB_UNIT);
    String onlyA = UnitPlaybook.yaml(request(unit, "start", List.of("a")));
    assertTrue(onlyA.contains("- a") && !onlyA.contains("- b"), onlyA);
    assertTrue(onlyA.contains("create store") && onlyA.contains("start web"), onlyA);
    String all = UnitPlaybook.yaml(request(unit, "start", List.of()));
    assertTrue(all.contains("- a") && all.contains("- b"), all);
    ConfigException unknown = assertThrows(ConfigException.class, () -> UnitPlaybook.yaml(request(unit, "start", List.of("c"))));
    assertTrue(unknown.getMessage().contains("web/start has no variant 'c'; it has [a, b]"), unknown.getMessage());
  }

  @Test
  void aTestRunsOnTwinsWithoutPortsChecksThemAndFailsOnlyAfterStopping() throws IOException {
    Unit unit = unit("web", WEB_UNIT);
    List<String> names = taskNames(UnitPlaybook.load(request(unit, "test", List.of())));
    assertEquals(List.of("create store (as test-web-store)", "start web (as test-web-web)", "exec web (as test-web-web)",
        "exec web (as test-web-web)", "start probe (as test-web-probe)", "daemon web answers", "job probe ends well",
        "stop probe (as test-web-probe)", "stop web (as test-web-web)", "verdict: daemon web answers",
        "verdict: job probe ends well"), names);
    String text = UnitPlaybook.yaml(request(unit, "test", List.of()));
    assertTrue(text.contains("test-web-store-data:/data"), text);
    assertTrue(text.contains("http://{{container_ip.test-web-web}}:80/"), text);
    assertFalse(text.contains("8080:80"), "a twin publishes no port:\n" + text);
    assertTrue(text.contains("ignore_errors: true") && text.contains("when: unit_check_1.failed"), text);

    String full = UnitPlaybook.yaml(new UnitPlaybook.Request(unit, "test", List.of(), Map.of(), Set.of(), false, true));
    assertTrue(full.contains("name: test-web-store\n      state: absent\n      remove_volumes: true"), full);
    String live = UnitPlaybook.yaml(new UnitPlaybook.Request(unit, "test", List.of(), Map.of(), Set.of(), true, false));
    assertTrue(live.contains("8080:80") && !live.contains("test-web-"), live);
  }

  @Test
  void generatedCommandsFollowTheContainers() throws IOException {
    Unit unit = unit("web", WEB_UNIT.substring(0, WEB_UNIT.indexOf("commands:")));
    assertEquals(List.of("create store", "start web", "start probe"), taskNames(UnitPlaybook.load(request(unit, "start", List.of()))));
    assertEquals(List.of("stop probe", "stop web"), taskNames(UnitPlaybook.load(request(unit, "stop", List.of()))));
    assertEquals(List.of("remove probe", "remove web"), taskNames(UnitPlaybook.load(request(unit, "cleanup", List.of()))));
    assertEquals(List.of("backup store /data"), taskNames(UnitPlaybook.load(request(unit, "backup", List.of()))));
    String restore = UnitPlaybook.yaml(new UnitPlaybook.Request(unit, "restore", List.of(), Map.of("force", "true"), Set.of(), false, false));
    assertTrue(restore.contains("newest_in: \"{{dest}}\"") && restore.contains("force: true"), restore);
    String backup = UnitPlaybook.yaml(new UnitPlaybook.Request(unit, "backup", List.of(), Map.of(), Set.of("fetch"), false, false));
    assertTrue(backup.contains("fetch: \"{{fetch}}\""), "-e fetch=... counts as given:\n" + backup);
  }

  @Test
  void mistakesNameTheFileLineAndKey() throws IOException {
    ConfigException key = assertThrows(ConfigException.class, () -> unit("bad", "containers:\n  web:\n    image: a:1\n    portz: [\"1:1\"]\n"));
    assertTrue(key.getMessage().contains("bad.yml:4") && key.getMessage().contains("unknown container key 'portz' (did you mean 'ports'?)"),
        key.getMessage());
    ConfigException order = assertThrows(ConfigException.class,
        () -> unit("bad", "containers:\n  web: {image: a:1}\ncommands:\n  start:\n    - start: wbe\n"));
    assertTrue(order.getMessage().contains("bad.yml:5") && order.getMessage().contains("no container 'wbe' in this unit (did you mean 'web'?)"),
        order.getMessage());
    ConfigException state = assertThrows(ConfigException.class, () -> unit("bad", "containers:\n  web: {image: a:1, state: started}\n"));
    assertTrue(state.getMessage().contains("state is set by the unit's commands"), state.getMessage());
    ConfigException daemon = assertThrows(ConfigException.class,
        () -> unit("bad", "containers:\n  web:\n    image: a:1\n    daemon: [{url: x, stauts: 200}]\n"));
    assertTrue(daemon.getMessage().contains("bad.yml:4") && daemon.getMessage().contains("unknown key 'stauts'"), daemon.getMessage());
  }

  @Test
  void paramsAreOptionsWithChoicesAndTheSeedsSpelling() throws IOException {
    Unit unit = unit("lang", """
        params:
          - add_argument: {name: --language, choices: [python, node], default: python, help: the language}
        containers:
          app: {image: "example/{{language}}:1"}
        """);
    List<Param> params = UnitCommands.params(unit, "start");
    assertEquals(Map.of("language", "node"), UnitCall.params(params, List.of("--language", "node"), "lang/start"));
    assertEquals(Map.of("language", "node"), UnitCall.params(params, List.of("--language=node"), "lang/start"));
    ConfigException choice = assertThrows(ConfigException.class, () -> UnitCall.params(params, List.of("--language", "go"), "lang/start"));
    assertTrue(choice.getMessage().contains("must be one of [python, node], not 'go'"), choice.getMessage());
    assertTrue(UnitPlaybook.yaml(request(unit, "start", List.of())).contains("language: python"));
    UnitCall call = UnitCall.parse("lang/start:a:b");
    assertEquals(new UnitCall("lang", "start", List.of("a", "b")), call);
    assertThrows(ConfigException.class, () -> UnitCall.parse("lang"));
  }
}
