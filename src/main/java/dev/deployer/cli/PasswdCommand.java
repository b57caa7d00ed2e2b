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
    header = "Adds or replaces a user of deployer serve.",
    description = {
      "Adds USER to the users file of deployer serve, or replaces their line, with a salted PBKDF2 "
          + "hash. The password is read from the terminal, or from standard input's first line. With "
          + "--upgrade, lists the users whose hash is IPD's unsalted SHA-256 (each is replaced at their "
          + "next good login), or with --passwords replaces them now."
    },
    footer = {"", "Examples:", "  deployer passwd ci --role USER -f /etc/deployer/users.txt < ci-password.txt",
        "  deployer passwd --upgrade -f /opt/ipd/users.txt --passwords known-passwords.txt",
        "  deployer passwd ci --role USER --store \"postgresql://deployer:$PGPASSWORD@db.internal/deployer\""})
public final class PasswdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "USER")
  String user;

  @Option(names = "--upgrade", description = "Replace IPD's SHA-256 hashes (see --passwords).")
  boolean upgrade;

  @Option(names = "--passwords", paramLabel = "FILE",
      description = "With --upgrade: user:password lines; each user whose IPD hash it matches gets a PBKDF2 one now.")
  Path passwords;

  @Option(names = "--role", paramLabel = "ROLE", defaultValue = "USER", description = "ADMIN or USER (default: ${DEFAULT-VALUE}).")
  Users.Role role;

  @Option(names = {"-f", "--file"}, paramLabel = "USERS_FILE", description = "The users file.")
  Path file;

  @Option(names = "--store", paramLabel = "URL",
      description = "The database replicas of deployer serve share (postgresql://...): the user is written there instead.")
  String store;

  @Override
  public Integer call() throws IOException, java.sql.SQLException {
    if ((file == null) == (store == null)) {
      throw new ConfigException(null, "give the users file (-f) or the shared database (--store), one of them");
    }
    if (upgrade && file == null) {
      throw new ConfigException(null, "--upgrade works on a users file (-f); a database takes the files' lines as they are");
    }
    if (upgrade) {
      return upgrade();
    }
    if (user == null) {
      throw new ConfigException(null, "which USER? (or --upgrade)");
    }
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
    if (store != null) {
      dev.deployer.server.Accounts.putUser(store, user, role, password);
      spec.commandLine().getOut().println(role + " " + user + " written to the store's users");
    } else {
      Users.put(file, user, role, password);
      spec.commandLine().getOut().println(role + " " + user + " written to " + file);
    }
    return 0;
  }

  private int upgrade() throws IOException {
    java.io.PrintWriter out = spec.commandLine().getOut();
    java.util.Map<String, String> known = new java.util.HashMap<>();
    if (passwords != null) {
      for (String line : java.nio.file.Files.readAllLines(passwords, StandardCharsets.UTF_8)) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          known.put(line.substring(0, colon), line.substring(colon + 1));
        }
      }
    }
    java.util.List<String> left = new java.util.ArrayList<>();
    int replaced = 0;
    for (Users.User u : Users.read(file)) {
      if (Users.weak(java.util.List.of(u)).isEmpty()) {
        continue;
      }
      String password = known.get(u.name());
      if (password != null && Users.upgrade(file, u, password)) {
        replaced++;
      } else {
        left.add(u.name() + (password == null ? "" : " (its password in " + passwords + " does not match)"));
      }
    }
    out.println(replaced + " IPD hash(es) replaced in " + file + (left.isEmpty() ? "" : "; still IPD's: "
        + String.join(", ", left) + " (each is replaced at that user's next good login)"));
    out.flush();
    return 0;
  }
}
