package dev.deployer.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import dev.deployer.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The hosts scripts/testbed made on this machine (real sshd, real dockerd, one network and mount
 * namespace each), as integration tests use them: run deployer against them, and look at each
 * host directly (its Docker, its files) the way a user would check a deploy.
 */
public final class Testbed {
  private final Path projectDir = Path.of(System.getProperty("project.dir", System.getProperty("user.dir")));
  private final Path dir = Path.of(System.getProperty("testbed.dir", projectDir.resolve(".testbed").toString()));

  public Testbed() {
    if (!Files.exists(inventory())) {
      fail("no testbed at " + dir + ": run scripts/testbed up 3 (scripts/test does)");
    }
  }

  public Path dir() {
    return dir;
  }

  public Path projectDir() {
    return projectDir;
  }

  public Path inventory() {
    return dir.resolve("inventory.yml");
  }

  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** A host's address, from the inventory the testbed wrote. */
  public String address(String host) {
    try {
      List<String> lines = Files.readAllLines(inventory());
      for (int i = 0; i < lines.size() - 1; i++) {
        if (lines.get(i).trim().equals(host + ":") && lines.get(i + 1).trim().startsWith("ansible_host:")) {
          return lines.get(i + 1).split(":", 2)[1].trim();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no address for " + host + " in " + inventory());
  }

  /** Where a file in a host's private /opt, /srv, /tmp or /var/lib/deployer is, seen from this machine. */
  public Path hostFile(String host, String absolutePath) {
    return dir.resolve(host).resolve("fs").resolve(absolutePath.substring(1));
  }

  /** The testbed registry's host:port. */
  public String registry() {
    try {
      for (String line : Files.readAllLines(inventory())) {
        if (line.trim().startsWith("registry:")) {
          return line.split(":", 2)[1].trim().replace("\"", "");
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no registry in " + inventory());
  }

  /** A command's output on a host, run with that host's Docker and files, without SSH. */
  public String exec(String host, String... command) {
    Result result = script(withPrefix(List.of("exec", host), command));
    if (result.exitCode != 0) {
      fail("on " + host + ": " + String.join(" ", command) + " exited " + result.exitCode + ": " + result.err);
    }
    return result.out;
  }

  /** Like {@link #exec} but returns the exit code, for "does this exist" checks. */
  public int status(String host, String... command) {
    return script(withPrefix(List.of("exec", host), command)).exitCode;
  }

  /** A docker command's output on a host, trimmed. */
  public String docker(String host, String... args) {
    return exec(host, withPrefix(List.of("docker"), args).toArray(String[]::new)).trim();
  }

  /** Tags a host's image as {@code reference} (in the testbed's registry) and pushes it there. */
  public void push(String host, String image, String reference) {
    docker(host, "tag", image, reference);
    docker(host, "push", reference);
  }

  /** Removes every container whose name starts with the prefix, on every host: a test's leftovers. */
  public void removeContainers(String prefix, String... hosts) {
    for (String host : hosts) {
      for (String name : docker(host, "ps", "-a", "--format", "{{.Names}}").lines().toList()) {
        if (name.startsWith(prefix)) {
          docker(host, "rm", "-f", name);
        }
      }
    }
  }

  /** Gives the host testbed/jre:17, the base deployer's own image is built from here. */
  public void jre(String host) {
    Result result = script(List.of("jre", host));
    if (result.exitCode != 0) {
      fail("scripts/testbed jre " + host + " failed: " + result.err + result.out);
    }
  }

  public void cut(String host) {
    script(List.of("cut", host));
  }

  public void heal(String host) {
    script(List.of("heal", host));
  }

  /**
   * Waits until the condition holds, checking every quarter second, and fails the test naming what
   * never happened: a test waits on a state, never for a fixed time.
   */
  public static void waitUntil(String what, java.time.Duration limit, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited " + limit.toSeconds() + "s, but never: " + what);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting until " + what);
      }
    }
  }

  /**
   * Runs a command as its own process with {@code env} on top of this one's, minus the variables
   * deployer reads for keys and sudo (SSH_AUTH_SOCK, DEPLOYER_KEY_PASSPHRASE, DEPLOYER_BECOME_PASS),
   * so a test sets every one it means, and with no persistent agent unless {@code env} asks for
   * one (DEPLOYER_PERSIST). Standard error is merged into {@code out}.
   */
  public static Result process(Map<String, String> env, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    List.of("SSH_AUTH_SOCK", "DEPLOYER_KEY_PASSPHRASE", "DEPLOYER_BECOME_PASS").forEach(builder.environment()::remove);
    // Each run in its own JVM unless a test means the persistent agent (PersistIT): a kept
    // connection would carry one test's SSH setup into the next.
    builder.environment().put("DEPLOYER_PERSIST", "0");
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("still running after 5 minutes: " + String.join(" ", command));
      }
      return new Result(process.exitValue(), output, "");
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code deployer ARGS} from the built jar as its own process, for what needs its environment. */
  public Result deployerProcess(Map<String, String> env, List<String> args) {
    List<String> command = new ArrayList<>(List.of("java", "-jar", projectDir.resolve("target/deployer.jar").toString()));
    command.addAll(args);
    return process(env, command);
  }

  /**
   * Writes a one-play playbook of {@code tasks} (task lines, as a play's tasks: list holds them) for
   * {@code hosts} into {@code dir} and runs it against the testbed, with any further options.
   */
  public Result play(Path dir, String hosts, String tasks, String... options) throws IOException {
    Path book = dir.resolve("play-" + java.util.UUID.randomUUID() + ".yml");
    Files.writeString(book, "- hosts: " + hosts + "\n  tasks:\n" + tasks.indent(4));
    List<String> args = new ArrayList<>(List.of("play", book.toString(), "-i", inventory().toString()));
    args.addAll(List.of(options));
    return deployer(args.toArray(String[]::new));
  }

  /** Runs {@code deployer ARGS} in this JVM and returns its exit code and output. */
  public static Result deployer(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Result script(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(projectDir.resolve("scripts/testbed").toString());
    command.addAll(args);
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("DEPLOYER_TESTBED_DIR", dir.toString());
      Path errFile = Files.createTempFile("testbed", ".err");
      builder.redirectError(errFile.toFile());
      Process process = builder.start();
      byte[] out = process.getInputStream().readAllBytes();
      int code = process.waitFor();
      String err = Files.readString(errFile);
      Files.delete(errFile);
      return new Result(code, new String(out, StandardCharsets.UTF_8), err);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run scripts/testbed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> withPrefix(List<String> prefix, String... rest) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(rest));
    return all;
  }

  /** What a command did. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
