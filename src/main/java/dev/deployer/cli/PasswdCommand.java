package dev.deployer.cli;

import dev.deployer.server.Users;
import dev.deployer.yaml.ConfigException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deployer passwd USER}: adds or replaces a user in the server's users file. */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Adds USER to the users file of deployer serve, or replaces their line, with a salted",
        "PBKDF2 hash. The password is read from the terminal, or from standard input's first line."},
    footer = {"", "Example:", "  deployer passwd ci --role USER -f /etc/deployer/users.txt < ci-password.txt"})
public final class PasswdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "USER")
  String user;

  @Option(names = "--role", paramLabel = "ROLE", defaultValue = "USER", description = "ADMIN or USER (default: ${DEFAULT-VALUE}).")
  Users.Role role;

  @Option(names = {"-f", "--file"}, paramLabel = "USERS_FILE", required = true, description = "The users file.")
  Path file;

  @Override
  public Integer call() throws IOException {
    String password;
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Password for %s: ", user);
      char[] again = console.readPassword("Again: ");
      if (first == null || !Arrays.equals(first, again)) {
        throw new ConfigException(null, "the passwords differ");
      }
      password = new String(first);
    } else {
      password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    if (password == null || password.length() < 8) {
      throw new ConfigException(null, "a password has 8 characters or more");
    }
    Users.put(file, user, role, password);
    spec.commandLine().getOut().println(role + " " + user + " written to " + file);
    return 0;
  }
}
