package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A per-service deploy lock on the host: a directory made with {@code mkdir} (atomic on every
 * filesystem) holding who took it, from which machine and process, when, and in which run,
 * readable by a person with {@code cat}, and a heartbeat file its holder touches while it runs.
 *
 * <p>A lock knows whether its holder lives: one whose heartbeat has not moved for {@link #STALE}
 * (by the host's own clock), or whose holder is a process of this machine that is gone, is taken
 * over with a line in the report. A live holder's lock is waited for, then reported.
 */
final class DeployLock implements AutoCloseable {
  static final String ROOT = "/var/lib/deployer/locks";
  static final Duration BEAT = Duration.ofSeconds(5);
  /** Three beats missed: the holder is gone (or cut off, and will fail rather than go on). */
  static final Duration STALE = BEAT.multipliedBy(3);

  /**
   * Reads the holder's details and how many seconds ago its heartbeat moved, by the host's clock; a
   * lock without one (being made this instant, or left by an older deployer) counts from the lock
   * directory's own time. $1 is the lock.
   */
  private static final String READ = "cat \"$1/info\" 2>/dev/null; echo;"
      + " echo \"age=$(( $(date +%s) - $(stat -c %Y \"$1/heartbeat\" 2>/dev/null || stat -c %Y \"$1\") ))\"";

  private final Remote remote;
  private final String dir;
  private final ScheduledExecutorService heart;
  /** What the report says about a lock this one took over, or "". */
  private final String tookOver;
  private boolean kept;

  private DeployLock(Remote remote, String dir, String tookOver) {
    this.remote = remote;
    this.dir = dir;
    this.tookOver = tookOver;
    this.heart = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "deployer-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    heart.scheduleWithFixedDelay(this::beat, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Who holds a lock, as its info file and heartbeat say. */
  record Holder(Map<String, String> info, long heartbeatAge) {
    static Holder read(String text) {
      Map<String, String> info = new LinkedHashMap<>();
      long age = Long.MAX_VALUE;
      for (String line : text.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          info.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      String beat = info.remove("age");
      if (beat != null && beat.matches("-?[0-9]+")) {
        age = Long.parseLong(beat);
      }
      return new Holder(info, age);
    }

    /** Its holder runs on this machine and is no longer there: gone for sure, whatever the heartbeat says. */
    boolean deadHere(String controller) {
      String pid = info.get("pid");
      return controller.equals(info.get("controller")) && pid != null && pid.matches("[0-9]+")
          && ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
    }

    boolean fresh() {
      return heartbeatAge <= STALE.toSeconds();
    }

    String describe() {
      String who = "run " + info.getOrDefault("run_id", "?") + " of " + info.getOrDefault("holder", "?")
          + " (pid " + info.getOrDefault("pid", "?") + " on " + info.getOrDefault("controller", "?") + ")";
      return who + (heartbeatAge == Long.MAX_VALUE ? ", no heartbeat" : ", heartbeat " + heartbeatAge + "s ago");
    }
  }

  /**
   * Takes the lock: at once when it is free or its holder is gone; after waiting up to
   * {@code run.lockWait()} for a live holder; otherwise fails saying who holds it.
   */
  static DeployLock acquire(Remote remote, String service, TaskContext.RunInfo run, Instant now) {
    String dir = ROOT + "/" + service;
    Command take = Command.of("mkdir", "-p", ROOT).and(Command.of("mkdir", dir))
        .and(Command.of("printf", "%s", info(run, now, remote)).outputTo(dir + "/info"))
        .and(Command.of("touch", dir + "/heartbeat"));
    long deadline = System.nanoTime() + run.lockWait().toNanos();
    while (true) {
      CommandResult taken = remote.run(take);
      if (taken.ok()) {
        return new DeployLock(remote, dir, "");
      }
      CommandResult read = remote.run(Command.script(READ, dir));
      if (!remote.run(Command.of("test", "-d", dir)).ok()) {
        throw new RemoteException("cannot make the deploy lock " + dir + ": " + taken.errorSummary());
      }
      Holder holder = Holder.read(read.stdout());
      boolean gone = !holder.fresh() || holder.deadHere(TaskContext.RunInfo.machine())
          || run.staleRuns().contains(holder.info().get("run_id"));
      if (gone || (run.breakLock() && holder.heartbeatAge > BEAT.toSeconds() * 2)) {
        awaitLastCommand(remote, holder);
        remote.run(Command.of("rm", "-rf", "--", dir));
        if (remote.run(take).ok()) {
          return new DeployLock(remote, dir, "took over the deploy lock of " + holder.describe() + "; ");
        }
        continue;
      }
      if (System.nanoTime() > deadline) {
        throw new RemoteException("deploy lock for " + service + " is held by " + holder.describe() + " at " + dir
            + "; waited " + run.lockWait().toSeconds() + "s (--lock-wait) for it to end"
            + (run.breakLock() ? "; --break-lock takes over only a lock whose heartbeat has stopped" : ""));
      }
      sleep(Duration.ofSeconds(1));
    }
  }

  private static String info(TaskContext.RunInfo run, Instant now, Remote remote) {
    String shell = remote.processGroup().isPresent() ? "shell=" + remote.processGroup().getAsLong() + "\n" : "";
    return "run_id=" + run.runId() + "\nholder=" + run.operator() + "\ncontroller=" + TaskContext.RunInfo.machine()
        + "\npid=" + ProcessHandle.current().pid() + "\n" + shell + "since=" + now + "\n";
  }

  /**
   * A holder that is gone may have left work on the host: its last command still running (a docker
   * stop, a docker create), or, after a cut, commands that TCP delivers only once the link is back.
   * Whatever is settled next must not change under the new holder's feet. Its commands ran in one
   * process group, recorded in the lock: this waits for what runs there, then ends the group, so
   * nothing sent to its shell can still run.
   */
  private static void awaitLastCommand(Remote remote, Holder holder) {
    String group = holder.info().get("shell");
    boolean ours = remote.processGroup().isPresent() && String.valueOf(remote.processGroup().getAsLong()).equals(group);
    if (group != null && group.matches("[0-9]+") && !ours) {
      remote.run(Command.script(AWAIT_GROUP, group));
    }
  }

  /**
   * Waits, up to 30 s, while process group $1 has a process besides its shell ($1 itself, which may
   * linger idle until sshd notices its client is gone), then hangs the group up (the shell traps
   * INT and TERM, not HUP). Without pgrep there is nothing to wait on.
   */
  private static final String AWAIT_GROUP =
      "i=0; while [ $i -lt 300 ] && pgrep -g \"$1\" 2>/dev/null | grep -qvx \"$1\"; do i=$((i+1)); sleep 0.1; done;"
          + " kill -HUP -\"$1\" 2>/dev/null; true";

  /** "took over the deploy lock of ...; " when this lock was taken from a holder that was gone, else "". */
  String tookOver() {
    return tookOver;
  }

  private void beat() {
    try {
      remote.runAside(Command.of("touch", dir + "/heartbeat"));
    } catch (RuntimeException e) {
      // A missed beat is what a cut-off holder looks like; the next one may get through.
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted while waiting for a deploy lock");
    }
  }

  /**
   * Leaves the lock on the host when this run ends (its heartbeat stops): work is left half done,
   * and the next run finds the lock, takes it over and settles it first.
   */
  void keep() {
    kept = true;
  }

  @Override
  public void close() {
    heart.shutdownNow();
    if (!kept) {
      remote.run(Command.of("rm", "-rf", "--", dir));
    }
  }
}
