package dev.deployer.ssh;

import com.jcraft.jsch.JSchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * A host as another user (Ansible's become, with sudo): a long-lived shell started by sudo runs
 * the commands, as the login shell does for the login user. sudo's password, when there is one,
 * is written to sudo's stdin, never into a command line, a log or a report. A file is copied as
 * the login user to a private temporary name, then moved into place as the become user, so it
 * lands whole and owned by them.
 */
final class BecomeRemote implements Remote {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration SIGNAL_LIMIT = Duration.ofSeconds(5);
  private static final Duration START_LIMIT = Duration.ofSeconds(30);

  private final SshRemote login;
  private final String user;
  /** sudo's password; null when none was given or sudo asks for none (NOPASSWD). */
  private byte[] password;
  private boolean checked;
  private ShellChannel shell;

  BecomeRemote(SshRemote login, String user, String password) {
    this.login = login;
    this.user = user;
    this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * sudo's own words before a command: -n never prompts; -S reads the password from stdin, and -k
   * makes it always read it, so the password line can never reach the command instead.
   */
  private String sudo() {
    return password == null
        ? "sudo -n -u " + ShellQuote.quote(user) + " --"
        : "sudo -k -S -p '' -u " + ShellQuote.quote(user) + " --";
  }

  @Override
  public synchronized CommandResult run(Command command, LineListener listener) {
    String line = command.line();
    Duration timeout = login.commandTimeout();
    try {
      if (shell == null || !shell.isOpen()) {
        checkPassword();
        shell = new ShellChannel(login.session(), (int) Math.min(START_LIMIT.toMillis(), timeout.toMillis()),
            "exec " + sudo() + " sh", password);
      }
      return shell.run(line, listener, timeout.toMillis());
    } catch (JSchException | java.io.IOException e) {
      closeShell();
      if (!login.session().isConnected()) {
        throw new UnreachableException("connection to " + login.host().describe() + " was lost", e);
      }
      throw new RemoteException("cannot become " + user + " on " + login.host().describe() + " with sudo ("
          + e.getMessage() + "); the login user needs sudo rights"
          + (password == null ? " without a password (NOPASSWD), or give one with --ask-become-pass" : ""), e);
    } catch (java.util.concurrent.TimeoutException e) {
      signal("TERM");
      closeShell();
      throw new RemoteException("command timed out after " + timeout.toSeconds() + "s: " + line);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeShell();
      throw new RemoteException("interrupted while running: " + line);
    }
  }

  /**
   * Asks sudo to check the password on a channel of its own, whose stdin ends after it: a wrong
   * one is refused at once, instead of sudo waiting for another try on the shell's stdin.
   */
  private void checkPassword() {
    if (checked || password == null) {
      return;
    }
    // sudo that asks for no password would pass the password line on to the command: drop it.
    if (login.runDirect("sudo -n -u " + ShellQuote.quote(user) + " -- true", null, START_LIMIT).exitCode() == 0) {
      password = null;
      checked = true;
      return;
    }
    CommandResult check = login.runDirect("sudo -k -S -p '' -v", withNewline(password), START_LIMIT);
    if (check.exitCode() != 0) {
      throw new RemoteException("cannot become " + user + " on " + login.host().describe()
          + ": sudo refused the password given (--ask-become-pass, DEPLOYER_BECOME_PASS or ansible_become_pass)");
    }
    checked = true;
  }

  @Override
  public CommandResult runAside(Command command) {
    synchronized (this) {
      checkPassword();
    }
    return login.runDirect(sudo() + " " + command.line(), password == null ? null : withNewline(password),
        login.commandTimeout());
  }

  @Override
  public OptionalLong processGroup() {
    ShellChannel current = shell;
    return current != null && current.isOpen() ? OptionalLong.of(current.pid()) : OptionalLong.empty();
  }

  @Override
  public void interrupt() {
    ShellChannel current = shell;
    if (current != null && current.running() >= 0) {
      signal("INT");
    }
  }

  /** Signals the become shell's process group, as the become user (the login user may not). */
  private void signal(String signal) {
    ShellChannel current = shell;
    if (current == null) {
      return;
    }
    try {
      login.runDirect(sudo() + " " + Command.of("kill", "-" + signal, "-" + current.pid()).quietErrors().line(),
          password == null ? null : withNewline(password), SIGNAL_LIMIT);
    } catch (RemoteException e) {
      // The command's own timeout or the session's end will stop it.
    }
  }

  @Override
  public void upload(Path local, String remotePath, int mode) {
    String staged = "/tmp/.deployer-" + HexFormat.of().formatHex(random());
    login.upload(local, staged, 0600);
    Command place = Command.script("cat -- \"$1\" > \"$2.deployer-new\" && chmod \"$3\" \"$2.deployer-new\""
        + " && mv -f -- \"$2.deployer-new\" \"$2\"; s=$?; rm -f -- \"$1\"; exit $s",
        staged, remotePath, Integer.toOctalString(mode));
    CommandResult placed = run(place, null);
    if (placed.exitCode() != 0) {
      login.runDirect(Command.of("rm", "-f", "--", staged).line(), null, SIGNAL_LIMIT);
      throw new RemoteException("cannot copy " + local + " to " + login.host().name() + ":" + remotePath + " as " + user
          + ": " + placed.stderr().strip());
    }
  }

  /** A copy readable by the login user is made first, as the become user, then fetched and removed. */
  @Override
  public void download(String remotePath, Path local) {
    String staged = "/tmp/.deployer-" + HexFormat.of().formatHex(random());
    Command stage = Command.script("umask 077 && cat -- \"$1\" > \"$2\" && chown -- \"${SUDO_USER:-$3}\" \"$2\"",
        remotePath, staged, login.host().user());
    CommandResult staging = run(stage, null);
    try {
      if (staging.exitCode() != 0) {
        throw new RemoteException("cannot read " + login.host().name() + ":" + remotePath + " as " + user + ": "
            + staging.stderr().strip());
      }
      login.download(staged, local);
    } finally {
      run(Command.of("rm", "-f", "--", staged), null);
    }
  }

  private static byte[] random() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static byte[] withNewline(byte[] bytes) {
    byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    out[bytes.length] = '\n';
    return out;
  }

  synchronized void closeShell() {
    if (shell != null) {
      shell.close();
      shell = null;
    }
  }

  /** The login session stays open: it is the run's, not this view's. */
  @Override
  public void close() {
    closeShell();
  }
}
