package dev.deployer.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import dev.deployer.inventory.Host;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One SSH session to a host, reused for every task of a run: commands on exec channels, files
 * over one SFTP channel opened on first use.
 */
public final class SshRemote implements Remote {
  private final Host host;
  private final Session session;
  private final Duration commandTimeout;
  private ChannelSftp sftp;
  private volatile ShellChannel shell;
  /** The fallback path's channel while a command runs on it. */
  private volatile ChannelExec ownChannel;
  /** False after the host refused a long-lived shell: every command then gets its own channel. */
  private boolean shellWorks = true;

  /** Shells as other users (become), by user and password: kept as long as the login shell. */
  private final java.util.Map<java.util.List<String>, BecomeRemote> becomes = new java.util.HashMap<>();

  /** Run once the session is closed: lets go of the bastions it came through. */
  private final Runnable afterClose;
  private boolean closed;

  SshRemote(Host host, Session session, Duration commandTimeout, Runnable afterClose) {
    this.host = host;
    this.session = session;
    this.commandTimeout = commandTimeout;
    this.afterClose = afterClose;
  }

  @Override
  public CommandResult run(Command command, LineListener listener) {
    String commandLine = command.line();
    synchronized (this) {
      if (shellWorks) {
        try {
          if (shell == null || !shell.isOpen()) {
            shell = new ShellChannel(session, (int) Math.min(Integer.MAX_VALUE, commandTimeout.toMillis()));
          }
        } catch (JSchException | java.io.IOException e) {
          if (!session.isConnected()) {
            throw new UnreachableException("connection to " + host.describe() + " was lost: " + e.getMessage(), e);
          }
          shellWorks = false;
        }
      }
      if (shellWorks) {
        try {
          return shell.run(commandLine, listener, commandTimeout.toMillis());
        } catch (java.util.concurrent.TimeoutException e) {
          // Stopped, not just abandoned: a timed-out command must not go on changing the host.
          signal(shell, "TERM");
          shell.close();
          shell = null;
          throw new RemoteException("command timed out after " + commandTimeout.toSeconds() + "s: " + commandLine);
        } catch (java.io.IOException e) {
          shell.close();
          shell = null;
          if (!session.isConnected()) {
            throw new UnreachableException("connection to " + host.describe() + " was lost", e);
          }
          throw new RemoteException("running a command on " + host.describe() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          shell.close();
          shell = null;
          throw new RemoteException("interrupted while running: " + commandLine);
        }
      }
    }
    try {
      return runOnOwnChannel(commandLine, listener, channel -> ownChannel = channel);
    } finally {
      ownChannel = null;
    }
  }

  /**
   * This host as {@code user} through sudo: {@code sudo -n} when {@code password} is null
   * (NOPASSWD), else sudo -S with the password written to it, never on a command line.
   */
  @Override
  public synchronized Remote become(String user, String password) {
    if (user.equals(host.user())) {
      return this;
    }
    // By password too: a connection kept for a later run (a persistent agent's) must not hand a run
    // a sudo shell another run's password opened.
    return becomes.computeIfAbsent(java.util.Arrays.asList(user, password), key -> new BecomeRemote(this, user, password));
  }

  Session session() {
    return session;
  }

  Host host() {
    return host;
  }

  Duration commandTimeout() {
    return commandTimeout;
  }

  @Override
  public java.util.OptionalLong processGroup() {
    ShellChannel current = shell;
    return current != null && current.isOpen() ? java.util.OptionalLong.of(current.pid()) : java.util.OptionalLong.empty();
  }

  @Override
  public CommandResult runAside(Command command) {
    return runOnOwnChannel(command.line(), null, channel -> { });
  }

  /** One round trip on a channel of its own, bounded: a cut connection does not hold the caller for long. */
  @Override
  public boolean answers() {
    if (!session.isConnected()) {
      return false;
    }
    try {
      return runOnOwnChannel("true", null, channel -> { }, SIGNAL_LIMIT).ok();
    } catch (RemoteException e) {
      return false;
    }
  }

  @Override
  public void interrupt() {
    ChannelExec own = ownChannel;
    if (own != null) {
      // A host without the long-lived shell: ask sshd to signal the session (recent OpenSSH does).
      try {
        own.sendSignal("INT");
      } catch (Exception e) {
        // Older sshd, or the command just ended.
      }
      return;
    }
    ShellChannel current = shell;
    long command = current == null ? -1 : current.running();
    if (command < 0) {
      return;
    }
    // The signal goes to the shell's whole process group: the command and whatever it started.
    // A second signal only if that same command is still running, never to the next one.
    for (String signal : new String[] {"INT", "TERM"}) {
      signal(current, signal);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
      while (current.running() == command && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (current.running() != command) {
        return;
      }
    }
  }

  /** Signals the shell's process group: the command it runs and whatever that started; the shell traps it. */
  private void signal(ShellChannel target, String signal) {
    try {
      Command kill = Command.of("kill", "-" + signal, "-" + target.pid()).quietErrors();
      runOnOwnChannel(kill.line(), null, channel -> { }, SIGNAL_LIMIT);
    } catch (RemoteException e) {
      // A host that cannot take a signal within seconds has stopped answering (cut off, hung):
      // hanging up makes every later command fail at once as unreachable, instead of each waiting
      // out its own timeout. sshd stops the command when it notices the session is gone.
      session.disconnect();
    }
  }

  /** How long a signal may take to reach the host before the host counts as gone. */
  private static final Duration SIGNAL_LIMIT = Duration.ofSeconds(5);

  /** The fallback: one exec channel for one command. */
  private CommandResult runOnOwnChannel(String commandLine, LineListener listener,
      java.util.function.Consumer<ChannelExec> opened) {
    return runOnOwnChannel(commandLine, listener, opened, commandTimeout);
  }

  private CommandResult runOnOwnChannel(String commandLine, LineListener listener,
      java.util.function.Consumer<ChannelExec> opened, Duration limit) {
    return runOnOwnChannel(commandLine, null, listener, opened, limit);
  }

  /** A command on a channel of its own, with {@code input} (or nothing) on its stdin. */
  CommandResult runDirect(String commandLine, byte[] input, Duration limit) {
    return runOnOwnChannel(commandLine, input == null ? null : out -> out.write(input), null, channel -> { }, limit);
  }

  /** Streams the input on the command's own channel: nothing is staged on either side. */
  @Override
  public CommandResult runWithInput(Command command, Input input) {
    return runOnOwnChannel(command.line(), input, null, channel -> { }, commandTimeout);
  }

  private CommandResult runOnOwnChannel(String commandLine, Input input, LineListener listener,
      java.util.function.Consumer<ChannelExec> opened, Duration limit) {
    long started = System.nanoTime();
    long deadline = started + limit.toNanos();
    ChannelExec channel = openExec();
    opened.accept(channel);
    LineTee stdout = new LineTee(listener);
    LineTee stderr = new LineTee(listener);
    try {
      channel.setCommand(commandLine);
      channel.setOutputStream(stdout, true);
      channel.setErrStream(stderr, true);
      java.io.OutputStream stdin = input == null ? null : channel.getOutputStream();
      channel.connect((int) Math.min(Integer.MAX_VALUE, limit.toMillis()));
      java.io.IOException notWritten = null;
      if (stdin != null) {
        try (java.io.OutputStream out = stdin) {
          input.writeTo(out);
        } catch (java.io.IOException e) {
          // The command may have stopped reading (it failed): its exit status and stderr say more.
          notWritten = e;
        }
      }
      // Short sleeps at first: most commands finish in milliseconds.
      long pause = 1;
      while (!channel.isClosed()) {
        if (System.nanoTime() > deadline) {
          throw new RemoteException("command timed out after " + limit.toSeconds() + "s: " + commandLine);
        }
        if (!session.isConnected()) {
          throw new UnreachableException("connection to " + host.describe() + " was lost");
        }
        Thread.sleep(pause);
        pause = Math.min(20, pause * 2);
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      stdout.close();
      stderr.close();
      if (notWritten != null) {
        // Whatever the command made of a cut-off input, the run fails, and says where it was cut.
        return new CommandResult(commandLine, channel.getExitStatus() == 0 ? 1 : channel.getExitStatus(), stdout.text(),
            stderr.text() + "(its input could not be written: " + notWritten.getMessage() + ")", millis);
      }
      return new CommandResult(commandLine, channel.getExitStatus(), stdout.text(), stderr.text(), millis);
    } catch (JSchException e) {
      throw lost(e);
    } catch (java.io.IOException e) {
      throw new RemoteException("SSH channel to " + host.describe() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted while running: " + commandLine);
    } finally {
      channel.disconnect();
    }
  }

  private ChannelExec openExec() {
    try {
      return (ChannelExec) session.openChannel("exec");
    } catch (JSchException e) {
      throw lost(e);
    }
  }

  private RemoteException lost(JSchException e) {
    if (!session.isConnected()) {
      return new UnreachableException("connection to " + host.describe() + " was lost: " + e.getMessage(), e);
    }
    return new RemoteException("SSH channel to " + host.describe() + " failed: " + e.getMessage(), e);
  }

  @Override
  public synchronized void upload(Path local, String remotePath, int mode) {
    try {
      String literal = openSftp(remotePath);
      // From a stream: JSch would read the local path as a pattern too.
      try (java.io.InputStream in = java.nio.file.Files.newInputStream(local)) {
        sftp.put(in, literal, ChannelSftp.OVERWRITE);
      }
      sftp.chmod(mode, literal);
    } catch (JSchException e) {
      throw lost(e);
    } catch (SftpException | java.io.IOException e) {
      throw new RemoteException("cannot copy " + local + " to " + host.name() + ":" + remotePath + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void download(String remotePath, Path local) {
    try {
      String literal = openSftp(remotePath);
      // Into a stream: JSch would read the local path as a pattern too.
      try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(local)) {
        sftp.get(literal, out);
      }
    } catch (JSchException e) {
      throw lost(e);
    } catch (SftpException | java.io.IOException e) {
      throw new RemoteException("cannot copy " + host.name() + ":" + remotePath + " to " + local + ": " + e.getMessage(), e);
    }
  }

  /** The SFTP channel, opened once; returns the path escaped, as JSch reads * and ? in a remote path as a pattern. */
  private String openSftp(String remotePath) throws JSchException {
    if (sftp == null || !sftp.isConnected()) {
      sftp = (ChannelSftp) session.openChannel("sftp");
      sftp.connect();
    }
    return remotePath.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
  }

  @Override
  public synchronized void close() {
    becomes.values().forEach(BecomeRemote::closeShell);
    becomes.clear();
    if (shell != null) {
      shell.close();
    }
    if (sftp != null) {
      sftp.disconnect();
    }
    session.disconnect();
    if (!closed) {
      closed = true;
      afterClose.run();
    }
  }
}
