package dev.deployer.shell;

import dev.deployer.ssh.CommandResult;
import dev.deployer.docker.DockerCommands;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that look at containers on every host in use: ps and logs. */
final class ContainerCommands {
  private ContainerCommands() {}

  @Command(name = "ps", description = "Lists the containers on every host in use, in one table.")
  static final class Ps extends ConsoleCommand {
    Ps(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      List<ShellSession.HostResult<CommandResult>> answers = session.onHosts((host, remote) -> remote.run(DockerCommands.containerTable()));
      Table table = new Table("HOST", "NAME", "IMAGE", "STATUS", "PORTS");
      int failed = 0;
      for (ShellSession.HostResult<CommandResult> answer : answers) {
        String host = answer.host().name();
        if (answer.error() != null || answer.value().exitCode() != 0) {
          failed++;
          String why = answer.error() != null ? answer.error() : answer.value().stderr().strip();
          table.add(host, "(" + why + ")");
          continue;
        }
        if (answer.value().stdout().isBlank()) {
          table.add(host, "(no containers)");
        }
        for (String line : answer.value().stdout().split("\n")) {
          if (!line.isBlank()) {
            String[] cells = line.split("\t", -1);
            table.add(host, cell(cells, 0), cell(cells, 1), cell(cells, 2), cell(cells, 3));
          }
        }
      }
      table.print(session.out());
      return failed == 0 ? 0 : 2;
    }

    private static String cell(String[] cells, int i) {
      return i < cells.length ? cells[i] : "";
    }
  }

  @Command(name = "logs", description = "Shows SERVICE's container log on every host in use, each line after its"
      + " host's name; -f follows it until Ctrl-C.")
  static final class Logs extends ConsoleCommand {
    @Parameters(paramLabel = "SERVICE", description = "The service (its container's name).")
    String service;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "50", description = "Lines from the end (default: ${DEFAULT-VALUE}).")
    int tail;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C.")
    boolean follow;

    Logs(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      PrintWriter out = session.out();
      var command = DockerCommands.logs(service, tail, follow).errorsToOutput();
      List<ShellSession.HostResult<CommandResult>> answers = session.onHosts((host, remote) -> {
        return remote.run(command, line -> {
          synchronized (out) {
            out.println(host.name() + " | " + line);
            out.flush();
          }
        });
      });
      if (session.wasCancelled()) {
        return 0;
      }
      int failed = 0;
      for (ShellSession.HostResult<CommandResult> answer : answers) {
        if (answer.error() != null) {
          out.println(answer.host().name() + " | (" + answer.error() + ")");
          failed++;
        } else if (answer.value().exitCode() != 0) {
          failed++;
        }
      }
      return failed == 0 ? 0 : 2;
    }
  }
}
