package dev.deployer.task;

/**
 * One kind of work on a host, with its arguments already rendered for that host. A task reads
 * the host's state, decides, and acts only when needed; under --check it only reads.
 */
public interface Task {
  TaskResult run(TaskContext context);
}
