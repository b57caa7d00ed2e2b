package dev.deployer.report;

import dev.deployer.inventory.Host;
import dev.deployer.playbook.Play;
import dev.deployer.playbook.TaskSpec;
import java.util.List;

/** Hears about a run as it happens. Called from many threads; implementations synchronize. */
public interface Reporter {
  void playStarted(Play play, List<Host> hosts);

  void taskStarted(TaskSpec task);

  void taskFinished(TaskRecord record);

  /** A line of a remote command's output as it arrives (with -v). */
  default void output(String host, String line) {}

  /** A defect in deployer met on a host: the task fails saying "internal error"; -v shows where. */
  default void defect(String host, RuntimeException error) {}

  /** A line about the run as a whole, such as a rollout that stopped. */
  void note(String line);

  void finished(RunReport report);
}
