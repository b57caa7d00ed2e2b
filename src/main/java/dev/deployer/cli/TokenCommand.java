package dev.deployer.cli;

import dev.deployer.server.Tokens;
import dev.deployer.server.Users;
import dev.deployer.yaml.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deployer token create|revoke NAME}: API tokens for deployer serve, apart from passwords. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Makes or revokes an API token of deployer serve, for CI.",
    description = {
      "Makes or revokes an API token of deployer serve, for CI: a bearer token apart from any "
          + "password. 'create' prints the token once; the file keeps only its SHA-256. Restart the server "
          + "to load a changed tokens file."
    },
    footer = {"", "Examples:", "  deployer token create github-ci --role USER -f /etc/deployer/tokens.txt",
        "  curl -H \"Authorization: Bearer $TOKEN\" https://deploy.example.com/deploy/status/portfolio",
        "  deployer token revoke github-ci -f /etc/deployer/tokens.txt"})
public final class TokenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ACTION", description = "create or revoke")
  String action;

  @Parameters(index = "1", paramLabel = "NAME", description = "Who the token is for; shown as requested_by.")
  String name;

  @Option(names = "--role", paramLabel = "ROLE", defaultValue = "USER", description = "ADMIN or USER (default: ${DEFAULT-VALUE}).")
  Users.Role role;

  @Option(names = {"-f", "--file"}, paramLabel = "TOKENS_FILE", description = "The tokens file (server.yml's tokens).")
  Path file;

  @Option(names = "--store", paramLabel = "URL",
      description = "The database replicas of deployer serve share (postgresql://...): the token is kept there instead.")
  String store;

  @Override
  public Integer call() throws IOException, java.sql.SQLException {
    if ((file == null) == (store == null)) {
      throw new ConfigException(null, "give the tokens file (-f) or the shared database (--store), one of them");
    }
    String where = store != null ? "the store's tokens" : file.toString();
    switch (action) {
      case "create" -> {
        String token = store != null ? dev.deployer.server.Accounts.createToken(store, name, role) : Tokens.create(file, name, role);
        spec.commandLine().getOut().println(token);
        spec.commandLine().getErr().println(role + " token " + name + " written to " + where
            + "; the token above is shown only this once");
        return 0;
      }
      case "revoke" -> {
        boolean removed = store != null ? dev.deployer.server.Accounts.revokeToken(store, name) : Tokens.revoke(file, name);
        if (!removed) {
          throw new ConfigException(null, "no token named " + name + " in " + where);
        }
        spec.commandLine().getErr().println("token " + name + " removed from " + where
            + (store != null ? "; it counts at once" : "; restart deployer serve"));
        return 0;
      }
      default -> throw new ConfigException(null, "the action is create or revoke, not '" + action + "'");
    }
  }
}
