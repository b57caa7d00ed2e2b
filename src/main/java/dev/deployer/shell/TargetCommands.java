package dev.deployer.shell;

import dev.deployer.inventory.Host;
import dev.deployer.ssh.CommandResult;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Suggestions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The commands about which hosts the shell works on: hosts, use, vars. */
final class TargetCommands {
  private TargetCommands() {}

  @Command(name = "hosts", description = "Lists the hosts (in use, or those PATTERN selects) with address, groups and"
      + " whether they answer over SSH.")
  static final class Hosts extends ConsoleCommand {
    @Parameters(arity = "0..1", paramLabel = "PATTERN", description = "A host, a group, a,b, web:!web3, web*.")
    String pattern;

    Hosts(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      List<Host> hosts = pattern == null ? session.hosts() : session.inventory().select(pattern);
      if (hosts.isEmpty()) {
        throw new ConfigException(null, "'" + pattern + "' selects no hosts");
      }
      List<ShellSession.HostResult<CommandResult>> answers = session.onHosts(hosts, (host, remote) -> remote.run(dev.deployer.ssh.Command.of("true")));
      Table table = new Table("HOST", "ADDRESS", "USER", "GROUPS", "SSH");
      int unreachable = 0;
      for (ShellSession.HostResult<CommandResult> answer : answers) {
        Host host = answer.host();
        String ssh = answer.error() == null ? "up (" + answer.value().millis() + " ms)" : "DOWN: " + answer.error();
        unreachable += answer.error() == null ? 0 : 1;
        table.add(host.name(), host.address() + (host.port() == 22 ? "" : ":" + host.port()), host.user(),
            String.join(",", host.groups()), ssh);
      }
      table.print(session.out());
      return unreachable == 0 ? 0 : 3;
    }
  }

  @Command(name = "use", description = "Works on the hosts PATTERN selects from now on (the prompt shows them).")
  static final class Use extends ConsoleCommand {
    @Parameters(paramLabel = "PATTERN", description = "A host, a group, a,b, web:!web3, web*, or all.")
    String pattern;

    Use(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      session.use(pattern);
      List<Host> hosts = session.hosts();
      session.out().println(hosts.size() + (hosts.size() == 1 ? " host: " : " hosts: ")
          + String.join(", ", hosts.stream().map(Host::name).toList()));
      return 0;
    }
  }

  @Command(name = "vars", description = "Shows a host's variables as tasks see them (inventory all, groups, host,"
      + " then -e), secrets masked.")
  static final class Vars extends ConsoleCommand {
    /** Names that usually hold secrets; their values are never printed. */
    static final Pattern SECRET = Pattern.compile(
        "(?i).*(pass(word|wd|phrase)?|secret|token|credential|api_?key|private_?key|auth)(?!.*(_file|_path)$).*");

    @Parameters(arity = "0..1", paramLabel = "HOST", description = "The host (default: the only host in use).")
    String name;

    Vars(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      Host host = host();
      Map<String, Object> vars = new TreeMap<>(host.variables());
      vars.putAll(session.settings().extraVars());
      PrintWriter out = session.out();
      out.println(host.name() + ":");
      vars.forEach((key, value) -> out.println("  " + key + ": " + shown(key, value)));
      return 0;
    }

    private Host host() {
      if (name == null) {
        List<Host> hosts = session.hosts();
        if (hosts.size() != 1) {
          throw new ConfigException(null, "vars needs a HOST: " + hosts.size() + " hosts are in use");
        }
        return hosts.get(0);
      }
      Host host = session.inventory().hosts().get(name);
      if (host == null) {
        throw new ConfigException(null, "no host '" + name + "' in " + session.inventory().source()
            + Suggestions.didYouMean(name, session.inventory().hosts().keySet()));
      }
      return host;
    }

    static Object shown(String key, Object value) {
      if (SECRET.matcher(key).matches() && value != null) {
        return "********";
      }
      if (value instanceof Map<?, ?> map) {
        Map<String, Object> masked = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> masked.put(String.valueOf(k), shown(String.valueOf(k), v)));
        return masked;
      }
      return value;
    }
  }
}
