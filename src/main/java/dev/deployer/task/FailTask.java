package dev.deployer.task;

/**
 * Ansible's {@code fail}: ends the host's run with a message, usually under a {@code when:} that
 * looks at what an earlier task registered (a unit's test uses it to fail after cleaning up).
 */
public final class FailTask implements Task {
  public static final TaskType TYPE = TaskType.named("fail", "fail the host with a message (under a when:)")
      .freeForm(Arg.string("msg", "the message").required())
      .create(FailTask::new);

  private final String message;

  FailTask(Args args) {
    this.message = args.string("msg");
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    return TaskResult.failed(message);
  }
}
