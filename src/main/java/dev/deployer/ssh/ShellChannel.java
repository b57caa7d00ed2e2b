package dev.deployer.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-lived {@code sh} on the host that runs command after command. A new exec channel per
 * command costs a fork in sshd and a login shell (with the user's rc files) each time; this costs
 * neither. Each command runs in a subshell of its own (so nothing it does changes this shell),
 * with stdin closed, and ends with a marker line carrying a random token and the exit status, on
 * stdout and stderr alike.
 *
 * <p>Output arrives through sinks that JSch writes into, split into lines on queues: no piped
 * streams, whose reader threads must outlive every write.
 */
final class ShellChannel implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Compared by identity: no line read from a stream can be this very object. */
  private static final String EOF = new String("end of stream");

  private final ChannelExec channel;
  private final OutputStream stdin;
  private final LineSink stdout = new LineSink();
  private final LineSink stderr = new LineSink();
  /** The shell's process ID, which is also its process group's: sshd makes each session its own. */
  private final int pid;
  /** Counts commands; the one running now, or -1 between commands. */
  private long commands;
  private volatile long running = -1;

  ShellChannel(Session session, int connectTimeoutMillis) throws JSchException, IOException {
    this(session, connectTimeoutMillis, "exec sh", null);
  }

  /**
   * @param start the command that becomes the shell ({@code exec sh}, or sudo starting one)
   * @param firstLine written before anything else (sudo -S's password), or null; never echoed
   */
  ShellChannel(Session session, int connectTimeoutMillis, String start, byte[] firstLine) throws JSchException, IOException {
    channel = (ChannelExec) session.openChannel("exec");
    channel.setCommand(start);
    channel.setOutputStream(stdout, false);
    channel.setExtOutputStream(stderr, false);
    stdin = channel.getOutputStream();
    channel.connect(connectTimeoutMillis);
    if (firstLine != null) {
      stdin.write(firstLine);
      stdin.write('\n');
    }
    // The trap keeps this shell alive when interrupt() signals its group; the commands it starts
    // get the default actions back, so they stop. Lines before the marker (rc files that print)
    // are skipped.
    stdin.write("trap : INT TERM; echo __deployer_pid $$\n".getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    pid = readPid(connectTimeoutMillis);
  }

  private int readPid(int timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left <= 0 ? null : stdout.lines.poll(left, TimeUnit.NANOSECONDS);
        if (line == null || line == EOF) {
          channel.disconnect();
          String said = String.join(" ", stderr.drain()).strip();
          throw new IOException("the host's sh did not start" + (said.isEmpty() ? "" : ": " + said));
        }
        if (line.startsWith("__deployer_pid ")) {
          return Integer.parseInt(line.substring("__deployer_pid ".length()).trim());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.disconnect();
      throw new IOException("interrupted while starting a shell", e);
    }
  }

  int pid() {
    return pid;
  }

  /** The number of the command running now, or -1 when none is. */
  long running() {
    return running;
  }

  boolean isOpen() {
    return channel.isConnected() && !channel.isClosed();
  }

  /** Runs one command line; a timeout or a broken channel throws, and the channel is then useless. */
  CommandResult run(String commandLine, LineListener listener, long timeoutMillis)
      throws IOException, TimeoutException, InterruptedException {
    long started = System.nanoTime();
    long deadline = started + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    String token = "__deployer_" + HexFormat.of().formatHex(randomBytes());
    String line = "( " + commandLine + " ) </dev/null; printf '\\n%s %d\\n' " + token
        + " $?; printf '\\n%s\\n' " + token + " >&2\n";
    running = ++commands;
    try {
      stdin.write(line.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      int[] exit = new int[1];
      String output = readUntil(stdout, token, listener, exit, deadline, commandLine);
      String errors = readUntil(stderr, token, listener, null, deadline, commandLine);
      return new CommandResult(commandLine, exit[0], output, errors, (System.nanoTime() - started) / 1_000_000);
    } finally {
      running = -1;
    }
  }

  /**
   * Takes lines up to the marker. The marker is printed after a newline, so the line just before
   * it is either the command's unterminated last line or an empty one that marks its newline.
   */
  private static String readUntil(LineSink sink, String token, LineListener listener, int[] exit, long deadline,
      String commandLine) throws IOException, TimeoutException, InterruptedException {
    List<String> lines = new ArrayList<>();
    boolean heldBlank = false;
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : sink.lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new TimeoutException(commandLine);
      }
      if (line == EOF) {
        throw new IOException("the shell on the host exited while running: " + commandLine);
      }
      if (line.startsWith(token)) {
        if (exit != null) {
          exit[0] = Integer.parseInt(line.substring(token.length()).trim());
        }
        return String.join("\n", lines);
      }
      // An empty line may be the marker's own leading newline: hold it until the next line.
      if (heldBlank && listener != null) {
        listener.line("");
      }
      heldBlank = line.isEmpty();
      if (!heldBlank && listener != null) {
        listener.line(line);
      }
      lines.add(line);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  @Override
  public void close() {
    channel.disconnect();
  }

  /** Where JSch writes a stream: its lines queued as they complete, then an end marker. */
  private static final class LineSink extends LineSplitter {
    final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @Override
    void line(String line) {
      lines.add(line);
    }

    @Override
    void ended() {
      lines.add(EOF);
    }

    /** What has arrived so far, for an error message. */
    List<String> drain() {
      List<String> out = new ArrayList<>();
      lines.drainTo(out);
      out.removeIf(line -> line == EOF);
      return out;
    }
  }
}
