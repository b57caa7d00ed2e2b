package dev.deployer.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Ansible's {@code ansible_connection: local}: the host is the machine deployer runs on. Commands
 * are the same shell lines an SSH host gets, run by {@code sh -c} here; files are copied here.
 * This is how {@code deployer serve} in a container updates the host whose Docker socket it has.
 */
public final class LocalRemote implements Remote {
  private final String name;
  private final Duration commandTimeout;
  /** sudo and its options when this is the machine as another user (become); empty otherwise. */
  private final List<String> sudo;
  private final String sudoPassword;
  private volatile Process running;

  public LocalRemote(String name, Duration commandTimeout) {
    this(name, commandTimeout, List.of(), null);
  }

  private LocalRemote(String name, Duration commandTimeout, List<String> sudo, String sudoPassword) {
    this.name = name;
    this.commandTimeout = commandTimeout;
    this.sudo = List.copyOf(sudo);
    this.sudoPassword = sudoPassword;
  }

  @Override
  public CommandResult run(Command command, LineListener listener) {
    List<String> argv = new ArrayList<>(sudo);
    argv.addAll(List.of("sh", "-c", command.line()));
    long started = System.nanoTime();
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(argv);
      if (sudoPassword == null) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      process = builder.start();
    } catch (IOException e) {
      throw new RemoteException("cannot run a command on " + name + " (local): " + e.getMessage(), e);
    }
    running = process;
    try {
      if (sudoPassword != null) {
        try (OutputStream in = process.getOutputStream()) {
          in.write((sudoPassword + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      Thread errors = daemon("stderr", () -> copy(process.getErrorStream(), stderr, null));
      Thread watchdog = daemon("timeout", () -> stopAfterTimeout(process));
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      copy(process.getInputStream(), stdout, listener);
      int exit = process.waitFor();
      errors.join();
      watchdog.interrupt();
      if (timedOut(started)) {
        throw new RemoteException("command timed out after " + commandTimeout.toSeconds() + "s: " + command.line());
      }
      return new CommandResult(command.line(), exit, stdout.toString(StandardCharsets.UTF_8),
          stderr.toString(StandardCharsets.UTF_8), (System.nanoTime() - started) / 1_000_000);
    } catch (IOException e) {
      throw new RemoteException("running a command on " + name + " (local) failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(process);
      throw new RemoteException("interrupted while running: " + command.line());
    } finally {
      running = null;
    }
  }

  private Thread daemon(String what, Runnable work) {
    Thread thread = new Thread(work, "local " + name + " " + what);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private boolean timedOut(long started) {
    return System.nanoTime() - started >= commandTimeout.toNanos();
  }

  /** A command that runs past the timeout is stopped, not abandoned: it must not go on changing the host. */
  private void stopAfterTimeout(Process process) {
    try {
      if (!process.waitFor(commandTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        stop(process);
      }
    } catch (InterruptedException e) {
      // the command ended first
    }
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  private static void copy(InputStream from, ByteArrayOutputStream into, LineListener listener) {
    LineSplitter lines = listener == null ? null : new LineSplitter() {
      @Override
      void line(String line) {
        listener.line(line);
      }
    };
    byte[] buffer = new byte[8192];
    try (from) {
      for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
        into.write(buffer, 0, n);
        if (lines != null) {
          lines.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // the process went away; what was read is what it said
    }
    if (lines != null) {
      lines.close();
    }
  }

  /** This machine as another user, through sudo: -n without a password (NOPASSWD), -S with one. */
  @Override
  public Remote become(String user, String password) {
    if (user.equals(System.getProperty("user.name"))) {
      return this;
    }
    List<String> prefix = password == null
        ? List.of("sudo", "-n", "-u", user, "--")
        : List.of("sudo", "-S", "-p", "", "-u", user, "--");
    return new LocalRemote(name, commandTimeout, prefix, password);
  }

  @Override
  public void upload(Path local, String remotePath, int mode) {
    if (!sudo.isEmpty()) {
      // As another user: staged where this user may write, then put in place by that user.
      Path staged = null;
      try {
        staged = Files.createTempFile("deployer-upload", ".tmp");
        Files.copy(local, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(staged, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
        CommandResult copied = run(Command.of("sh", "-c", "cat -- \"$1\" > \"$2\" && chmod \"$3\" -- \"$2\"", "sh",
            staged.toString(), remotePath, Integer.toOctalString(mode)));
        if (!copied.ok()) {
          throw new RemoteException("cannot copy " + local + " to " + name + ":" + remotePath + ": " + copied.errorSummary());
        }
      } catch (IOException e) {
        throw new RemoteException("cannot copy " + local + " to " + name + ":" + remotePath + ": " + e.getMessage(), e);
      } finally {
        if (staged != null) {
          staged.toFile().delete();
        }
      }
      return;
    }
    try {
      Files.copy(local, Path.of(remotePath), StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(Path.of(remotePath), permissions(mode));
    } catch (IOException e) {
      throw new RemoteException("cannot copy " + local + " to " + name + ":" + remotePath + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void download(String remotePath, Path local) {
    try {
      if (sudo.isEmpty()) {
        Files.copy(Path.of(remotePath), local, StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      CommandResult read = run(Command.of("sh", "-c", "base64 -- \"$1\"", "sh", remotePath));
      if (!read.ok()) {
        throw new RemoteException("cannot copy " + name + ":" + remotePath + " to " + local + ": " + read.errorSummary());
      }
      Files.write(local, java.util.Base64.getMimeDecoder().decode(read.stdout()));
    } catch (IOException e) {
      throw new RemoteException("cannot copy " + name + ":" + remotePath + " to " + local + ": " + e.getMessage(), e);
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  @Override
  public void interrupt() {
    Process process = running;
    if (process != null) {
      stop(process);
    }
  }

  @Override
  public void close() {
    interrupt();
  }
}
