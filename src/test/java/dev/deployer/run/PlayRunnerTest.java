package dev.deployer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.inventory.Inventory;
import dev.deployer.inventory.InventoryLoader;
import dev.deployer.playbook.Play;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.PlaybookLoader;
import dev.deployer.playbook.TaskSpec;
import dev.deployer.report.HostSummary;
import dev.deployer.report.Reporter;
import dev.deployer.report.RunReport;
import dev.deployer.report.TaskRecord;
import dev.deployer.ssh.UnreachableException;
import dev.deployer.task.Status;
import dev.deployer.task.TaskTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the runner plans and sequences work; the hosts here are stand-ins. */
class PlayRunnerTest {
  @TempDir Path dir;

  private final Map<String, FakeRemote> remotes = new ConcurrentHashMap<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> plays = new CopyOnWriteArrayList<>();

  private Inventory inventory() throws IOException {
    Path file = dir.resolve("hosts.yml");
    Files.writeString(file, """
        all:
          vars: {greeting: hi}
          children:
            web:
              hosts:
                h1: {color: red}
                h2: {color: blue}
                h3: {color: green}
        """);
    return InventoryLoader.load(file);
  }

  private Playbook playbook(String yaml) throws IOException {
    Path file = dir.resolve("play.yml");
    Files.writeString(file, yaml);
    return new PlaybookLoader(TaskTypes.builtin()).load(file);
  }

  private RunReport run(String yaml, RunOptions options, RemoteFactory factory) throws IOException {
    Reporter reporter = new Reporter() {
      @Override public void playStarted(Play play, List<dev.deployer.inventory.Host> hosts) { plays.add(play.name()); }
      @Override public void taskStarted(TaskSpec task) { events.add("start " + task.displayName()); }
      @Override public void taskFinished(TaskRecord r) { events.add(r.host() + " " + r.task() + " " + r.status().label()); }
      @Override public void finished(RunReport report) {}
      @Override public void note(String line) { events.add("note " + line); }
    };
    return new PlayRunner(inventory(), options, reporter, factory).run(playbook(yaml));
  }

  private static RunOptions options() {
    return new RunOptions(false, null, List.of(), List.of(), Map.of(), 10, false);
  }

  private RemoteFactory scripted(java.util.function.BiFunction<String, String, Integer> exitCodes) {
    return host -> remotes.computeIfAbsent(host.name(), name ->
        new FakeRemote(name, cmd -> FakeRemote.exit(cmd, exitCodes.apply(name, cmd), "out-" + name + "\n")));
  }

  @Test
  void eachTaskFinishesOnEveryHostBeforeTheNextStarts() throws IOException {
    RunReport report = run("""
        - hosts: web
          tasks:
            - {name: one, command: "echo {{color}}"}
            - {name: two, command: "echo {{greeting}}"}
        """, options(), scripted((h, c) -> 0));
    assertEquals("start one", events.get(0));
    assertEquals("start two", events.get(4));
    assertEquals(List.of("echo red", "echo hi"), remotes.get("h1").commands);
    assertEquals(RunReport.EXIT_OK, report.exitCode());
    assertEquals(2, report.hosts().get("h3").changed());
  }

  /** Ansible renders a play's name with the play's vars and -e; one needing a host's own stays as written. */
  @Test
  void aPlaysNameIsRenderedWithItsVarsAndExtraVars() throws IOException {
    RunOptions project = new RunOptions(false, null, List.of(), List.of(), Map.of("project", "shop"), 10, false);
    run("""
        - name: "Deploy {{project}} {{release}}"
          hosts: h1
          vars: {release: "r{{number}}", number: 7}
          tasks: [{command: "true"}]
        - name: "On {{inventory_hostname}}"
          hosts: h1
          tasks: [{command: "true"}]
        """, project, scripted((h, c) -> 0));
    assertEquals(List.of("Deploy shop r7", "On {{inventory_hostname}}"), plays);
  }

  @Test
  void aFailedHostStopsWhileTheOthersCarryOn() throws IOException {
    RunReport report = run("""
        - hosts: web
          tasks:
            - {name: one, command: "step1"}
            - {name: two, command: "step2"}
        """, options(), scripted((h, c) -> h.equals("h2") && c.contains("step1") ? 1 : 0));
    assertEquals(1, remotes.get("h2").commands.size());
    assertEquals(2, remotes.get("h1").commands.size());
    HostSummary h2 = report.hosts().get("h2");
    assertEquals(1, h2.failed());
    assertEquals("exit code 1: boom", h2.tasks().get(0).message());
    assertEquals(RunReport.EXIT_FAILED, report.exitCode());
  }

  @Test
  void anUnreachableHostIsReportedAndTheOthersCarryOn() throws IOException {
    RemoteFactory factory = host -> {
      if (host.name().equals("h3")) {
        throw new UnreachableException("cannot connect to h3: no route to host");
      }
      return scripted((h, c) -> 0).connect(host);
    };
    RunReport report = run("- hosts: web\n  tasks:\n    - command: a\n    - command: b\n", options(), factory);
    assertEquals(1, report.hosts().get("h3").unreachable());
    assertEquals(Status.UNREACHABLE, report.hosts().get("h3").tasks().get(0).status());
    assertEquals(2, report.hosts().get("h1").changed());
    assertEquals(RunReport.EXIT_UNREACHABLE, report.exitCode());
  }

  @Test
  void ignoredErrorsLetTheHostContinue() throws IOException {
    RunReport report = run("""
        - hosts: h1
          tasks:
            - {command: "false", ignore_errors: true}
            - command: "true"
        """, options(), scripted((h, c) -> c.contains("false") ? 1 : 0));
    HostSummary h1 = report.hosts().get("h1");
    assertEquals(0, h1.failed());
    assertEquals(1, h1.ignored());
    assertEquals(1, h1.changed());
    assertEquals(RunReport.EXIT_OK, report.exitCode());
  }

  @Test
  void registerWhenAndChangedWhen() throws IOException {
    RunReport report = run("""
        - hosts: h1
          vars: {run_it: false}
          tasks:
            - {command: "probe", register: probe, changed_when: "^nothing"}
            - {name: uses, command: "echo {{probe.stdout}} {{probe.rc}}", when: probe.changed is defined}
            - {name: skipped, command: "never", when: run_it}
            - {name: negated, command: "yes", when: "!run_it", changed_when: false}
        """, options(), scripted((h, c) -> 0));
    List<String> commands = remotes.get("h1").commands;
    assertEquals(List.of("probe", "echo 'out-h1\n' 0", "yes"), commands);
    HostSummary h1 = report.hosts().get("h1");
    assertEquals(Status.OK, h1.tasks().get(0).status());
    assertEquals(Status.SKIPPED, h1.tasks().get(2).status());
    assertEquals(Status.OK, h1.tasks().get(3).status());
  }

  @Test
  void missingVariableFailsTheHostWithFileLineAndArgument() throws IOException {
    RunReport report = run("- hosts: h1\n  tasks:\n    - command: \"echo {{nope}}\"\n", options(), scripted((h, c) -> 0));
    TaskRecord record = report.hosts().get("h1").tasks().get(0);
    assertEquals(Status.FAILED, record.status());
    assertEquals(dir.resolve("play.yml") + ":3: variable 'nope' is not defined (in command.cmd)", record.message());
    assertTrue(remotes.isEmpty() || remotes.get("h1").commands.isEmpty());
  }

  @Test
  void aTemplatedArgumentIsCheckedOnceRenderedWithTheLoadersMessage() throws IOException {
    RunReport report = run("""
        - hosts: h1
          vars: {what: pul}
          tasks:
            - docker_image: {action: "{{what}}", image: hello}
        """, options(), scripted((h, c) -> 0));
    TaskRecord record = report.hosts().get("h1").tasks().get(0);
    assertEquals(Status.FAILED, record.status());
    assertEquals(dir.resolve("play.yml") + ":4: docker_image.action must be one of pull, load, tag, remove, commit, push, not 'pul'"
        + " (did you mean 'pull'?)", record.message());
    assertTrue(remotes.isEmpty() || remotes.get("h1").commands.isEmpty(), "a bad argument reached the host");
  }

  @Test
  void aDefectFailsItsHostWithoutStoppingTheOthers() throws IOException {
    RemoteFactory broken = host -> host.name().equals("h2")
        ? new FakeRemote("h2", cmd -> { throw new IllegalStateException("bug"); })
        : scripted((h, c) -> 0).connect(host);
    RunReport report = run("- hosts: web\n  tasks:\n    - command: a\n", options(), broken);
    assertEquals("internal error: java.lang.IllegalStateException: bug", report.hosts().get("h2").tasks().get(0).message());
    assertEquals(1, report.hosts().get("h1").changed());
    assertEquals(RunReport.EXIT_FAILED, report.exitCode());
  }

  @Test
  void tagsSelectTasksAndAlwaysRuns() throws IOException {
    RunOptions tagged = new RunOptions(false, null, List.of("deploy"), List.of(), Map.of(), 10, false);
    run("""
        - hosts: h1
          tasks:
            - {command: "a", tags: [build]}
            - {command: "b", tags: [deploy]}
            - {command: "c", tags: [always]}
            - {command: "d"}
        """, tagged, scripted((h, c) -> 0));
    assertEquals(List.of("b", "c"), remotes.get("h1").commands);
  }

  @Test
  void limitAndExtraVars() throws IOException {
    RunOptions options = new RunOptions(false, "web:!h2", List.of(), List.of(), Map.of("color", "black"), 10, false);
    RunReport report = run("- hosts: all\n  vars: {color: white}\n  tasks:\n    - command: \"echo {{color}}\"\n", options,
        scripted((h, c) -> 0));
    assertEquals(List.of("h1", "h3"), List.copyOf(report.hosts().keySet()));
    assertEquals(List.of("echo black"), remotes.get("h1").commands);
  }

  @Test
  void unsafeValuesAreNeverRenderedWhereverTheyComeFrom() throws IOException {
    // As deployer serve passes a hook's tag: a value, even when it looks like a template.
    RunOptions fromOutside = new RunOptions(false, "h1", List.of(), List.of(),
        Map.of("image", new dev.deployer.template.Unsafe("app:v{{secret}}")), 10, false);
    run("""
        - hosts: all
          vars:
            secret: hunter2
            marked: !unsafe "{{secret}}"
          tasks:
            - command: "echo {{image}} {{marked}}"
            - command: !unsafe "echo {{not_a_variable}}"
            - command: ["echo", "{{marked}}"]
        """, fromOutside, scripted((h, c) -> 0));
    assertEquals(List.of("echo 'app:v{{secret}}' '{{secret}}'", "echo {{not_a_variable}}", "echo '{{secret}}'"),
        remotes.get("h1").commands);
  }

  @Test
  void checkModeRunsNothingThatChanges() throws IOException {
    RunOptions check = new RunOptions(true, null, List.of(), List.of(), Map.of(), 10, false);
    RunReport report = run("- hosts: h1\n  tasks:\n    - command: \"rm -rf /data\"\n", check, scripted((h, c) -> 0));
    assertEquals(Status.CHANGED, report.hosts().get("h1").tasks().get(0).status());
    assertTrue(remotes.get("h1").commands.isEmpty());
  }

  @Test
  void serialRunsBatchesAndAFailedBatchStopsTheRollout() throws IOException {
    RunReport report = run("""
        - hosts: web
          serial: 1
          tasks:
            - {name: one, command: "step1"}
            - {name: two, command: "step2"}
        """, options(), scripted((h, c) -> h.equals("h2") && c.contains("step2") ? 1 : 0));
    assertEquals(List.of("step1", "step2"), remotes.get("h1").commands);
    assertFalse(remotes.containsKey("h3"), "h3 was touched after h2's batch failed");
    TaskRecord h3 = report.hosts().get("h3").tasks().get(0);
    assertEquals(Status.SKIPPED, h3.status());
    assertTrue(h3.message().startsWith("not reached: batch 2 of 3 failed"), h3.message());
    assertTrue(events.stream().anyMatch(e -> e.startsWith("note Rollout stopped after batch 2 of 3")
        && e.contains("Done: h1. Failed: h2. Not reached, left on their previous version: h3.")), events.toString());
    // Batches run one after another: h1 finished both tasks before h2 started.
    assertEquals(List.of("start one", "h1 one changed", "start two", "h1 two changed", "start one", "h2 one changed"),
        events.subList(0, 6));
  }

  @Test
  void maxFailPercentageLetsSomeFailures() throws IOException {
    RunReport report = run("""
        - hosts: web
          serial: "34%"
          max_fail_percentage: 100
          tasks:
            - command: "step"
        """, options(), scripted((h, c) -> h.equals("h1") ? 1 : 0));
    assertEquals(1, report.hosts().get("h3").changed());
  }

  @Test
  void loopsRunOncePerItemWithItemAndRegisterResults() throws IOException {
    RunReport report = run("""
        - hosts: h1
          vars:
            services: [{name: web, port: 80}, {name: api, port: 81}]
          tasks:
            - name: per service
              command: "echo {{item.name}} {{item.port}}"
              loop: "{{services}}"
              register: out
            - name: literal items
              command: "echo {{item}}"
              loop: [a, "{{color}}"]
            - name: uses results
              command: "echo {{#out.results}}{{item.name}}={{rc}} {{/out.results}}"
        """, options(), scripted((h, c) -> 0));
    assertEquals(List.of("echo web 80", "echo api 81", "echo a", "echo red", "echo web=0 api=0 "), remotes.get("h1").commands);
    assertEquals("per service (web)", report.hosts().get("h1").tasks().get(0).task());
    assertEquals(5, report.hosts().get("h1").changed());
  }

  @Test
  void aLoopOverSomethingThatIsNotAListFails() throws IOException {
    RunReport report = run("- hosts: h1\n  tasks:\n    - command: \"echo {{item}}\"\n      loop: \"{{color}}\"\n", options(),
        scripted((h, c) -> 0));
    TaskRecord record = report.hosts().get("h1").tasks().get(0);
    assertEquals(Status.FAILED, record.status());
    assertTrue(record.message().endsWith("loop variable 'color' holds 'red', not a list"), record.message());
  }

  @Test
  void forksBoundsHowManyHostsWorkAtOnce() throws IOException {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    // The first two hosts wait for each other: they can meet only if two run at once.
    CountDownLatch twoAtOnce = new CountDownLatch(2);
    RemoteFactory meeting = host -> new FakeRemote(host.name(), cmd -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      twoAtOnce.countDown();
      try {
        assertTrue(twoAtOnce.await(10, TimeUnit.SECONDS), "two hosts never ran at once");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      return FakeRemote.exit(cmd, 0, "");
    });
    RunOptions two = new RunOptions(false, null, List.of(), List.of(), Map.of(), 2, false);
    RunReport report = run("- hosts: web\n  tasks:\n    - command: a\n", two, meeting);
    assertEquals(2, peak.get());
    assertEquals(RunReport.EXIT_OK, report.exitCode());
  }
}
