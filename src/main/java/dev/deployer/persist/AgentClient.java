package dev.deployer.persist;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Hands a run to this user's agent for this directory and environment, starting one when there is
 * none, and relays its output and exit code: a run then pays neither the JVM's start nor, for hosts
 * an earlier run reached, an SSH handshake (as Ansible's ControlPersist keeps its SSH masters).
 *
 * <p>Runs that ask something of a terminal (passwords, the shell) and runs recording the class
 * archive run here, as before. So does any run when the agent cannot be reached or is busy with
 * another: persistence only ever makes a run faster, never different.
 */
public final class AgentClient {
  /** The commands that run plays: the ones worth persisting, and none of them asks the terminal anything. */
  private static final Set<String> COMMANDS = Set.of("play", "config", "build", "deploy", "healthcheck", "rollback",
      "history");
  private static final Duration AGENT_START = Duration.ofSeconds(20);

  private AgentClient() {}

  /**
   * The exit code of the run the agent did, or empty: run it here.
   *
   * @param agentMain the class whose main serves as an agent (see {@link Agent#serve})
   */
  public static OptionalInt run(String[] args, String agentMain) {
    Duration persist;
    try {
      persist = Persistence.setting(System.getenv("DEPLOYER_PERSIST"));
    } catch (IllegalArgumentException e) {
      System.err.println("warning: " + e.getMessage() + "; this run does not persist");
      return OptionalInt.empty();
    }
    if (persist.isZero() || !persistable(args) || recordingClassArchive()) {
      return OptionalInt.empty();
    }
    Path dir = Persistence.directory();
    if (dir == null) {
      return OptionalInt.empty();
    }
    Path socket = Persistence.socket(dir, System.getProperty("java.class.path"), System.getProperty("user.dir"),
        System.getenv(), Runtime.getRuntime().maxMemory());
    try {
      SocketChannel channel = connect(socket);
      if (channel == null) {
        channel = startAgent(socket, persist, agentMain);
      }
      return channel == null ? OptionalInt.empty() : relay(channel, args);
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }

  /** A play or verb that asks no password and shows no help. */
  static boolean persistable(String[] args) {
    if (args.length == 0 || !COMMANDS.contains(args[0])) {
      return false;
    }
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      boolean shortFlags = arg.matches("-[A-Za-z]+");
      if (arg.startsWith("--ask") || arg.equals("--help") || arg.equals("--version")
          || (shortFlags && (arg.contains("K") || arg.contains("h") || arg.contains("V")))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The launcher's first run after a build records the class archive as it exits: that run must
   * load everything here, or later runs (and agents) would map an archive of the client alone.
   */
  private static boolean recordingClassArchive() {
    // The command line as /proc has it: asking the JVM (java.management) would cost a cold start more.
    return java.util.Arrays.stream(ProcessHandle.current().info().arguments().orElse(new String[0]))
        .anyMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit"));
  }

  private static SocketChannel connect(Path socket) {
    if (!Files.exists(socket)) {
      return null;
    }
    try {
      return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Starts an agent with this JVM's options, in a session of its own (Ctrl-C in the terminal is
   * for this run, not for the agent), and waits for its socket.
   */
  private static SocketChannel startAgent(Path socket, Duration persist, String agentMain) throws IOException {
    List<String> command = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // The serial collector: a long-lived JVM with G1 grew to its whole heap cap and more (252 MB RSS
    // after a few syncs, against 120 MB with this one).
    command.add("-XX:+UseSerialGC");
    // This JVM's options, but with both compilers: a run's start no longer matters in an agent, and
    // C2's intrinsics (AES-CTR, SHA-256) make SSH copies faster.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(option -> !option.startsWith("-XX:TieredStopAtLevel")).forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), agentMain, socket.toString(),
        Long.toString(persist.toSeconds())));
    Path log = Path.of(socket.toString().replaceAll("\\.sock$", ".log"));
    Process agent;
    try {
      agent = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(log.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return null; // no setsid: no agent
    }
    long deadline = System.nanoTime() + AGENT_START.toNanos();
    // One that ends at once (options this JVM took and it did not) is given up on at once.
    while (System.nanoTime() < deadline && (agent.isAlive() || agent.exitValue() == 0)) {
      SocketChannel channel = connect(socket);
      if (channel != null) {
        return channel;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  /** Sends the run, then copies the agent's output here until its exit code comes. */
  static OptionalInt relay(SocketChannel channel, String[] args) throws IOException {
    DataOutputStream request = new DataOutputStream(new java.io.BufferedOutputStream(Channels.newOutputStream(channel)));
    request.writeInt(Persistence.VERSION);
    request.writeBoolean(System.console() != null);
    // When this JVM began, to the millisecond, for --profile (only then: asking costs a cold start more).
    request.writeLong(java.util.Arrays.asList(args).contains("--profile")
        ? ManagementFactory.getRuntimeMXBean().getStartTime() : System.currentTimeMillis());
    request.writeInt(args.length);
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.writeInt(bytes.length);
      request.write(bytes);
    }
    request.flush();
    DataInputStream frames = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
    boolean accepted = false;
    // Once the agent has begun the run, no failure here may lead to running it again.
    try {
      while (true) {
        int kind = frames.readUnsignedByte();
        switch (kind) {
          case Persistence.ACCEPTED -> accepted = true;
          case Persistence.BUSY -> {
            channel.close();
            return OptionalInt.empty();
          }
          case Persistence.OUT, Persistence.ERR -> copy(frames, kind == Persistence.OUT ? System.out : System.err);
          case Persistence.EXIT -> {
            int code = frames.readInt();
            System.out.flush();
            System.err.flush();
            channel.close();
            return OptionalInt.of(code);
          }
          default -> throw new IOException("unexpected frame " + kind);
        }
      }
    } catch (IOException e) {
      if (!accepted) {
        return OptionalInt.empty(); // it ended before the run began: nothing ran, run it here
      }
      System.err.println("error: the deployer agent running this stopped before the run ended (" + e.getMessage()
          + "; see DEPLOYER_PERSIST in the README); the hosts were left as that run left them");
      return OptionalInt.of(1);
    }
  }

  private static void copy(DataInputStream frames, PrintStream to) throws IOException {
    byte[] bytes = new byte[frames.readInt()];
    frames.readFully(bytes);
    to.write(bytes);
    to.flush();
  }
}
