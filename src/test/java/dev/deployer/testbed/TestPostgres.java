package dev.deployer.testbed;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for a test: Debian's binaries, a cluster made with initdb in a
 * directory of its own, listening on loopback only (and a socket in that directory), stopped and
 * removed on close. PostgreSQL refuses to run as root, so as root it runs as the postgres user.
 */
public final class TestPostgres implements AutoCloseable {
  private final Path dir;
  private final Path bin;
  private final int port;

  private TestPostgres(Path dir, Path bin, int port) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  public static TestPostgres start() throws IOException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("deployer-pg-");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    TestPostgres pg = new TestPostgres(dir, bin, port);
    if (root()) {
      pg.check(Testbed.process(Map.of(), List.of("chown", "postgres:postgres", dir.toString())), "chown");
    }
    pg.check(pg.run("initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "deployer", "--no-sync"), "initdb");
    pg.check(pg.run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50", "start"),
        "pg_ctl start");
    return pg;
  }

  /** The store setting deployer serve takes: {@code postgresql://deployer@127.0.0.1:PORT/postgres}. */
  public String url() {
    return "postgresql://deployer@127.0.0.1:" + port + "/postgres";
  }

  @Override
  public void close() throws IOException {
    run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private Testbed.Result run(String program, String... args) {
    List<String> command = new ArrayList<>();
    if (root()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    return Testbed.process(Map.of(), command);
  }

  private void check(Testbed.Result result, String what) throws IOException {
    if (result.exitCode() != 0) {
      String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
      throw new IOException(what + " exited " + result.exitCode() + ": " + result.out() + log);
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The newest installed version's binaries (Debian keeps them out of PATH). */
  private static Path binaries() throws IOException {
    Path versions = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(versions)) {
      throw new IOException("PostgreSQL is not installed (apt-get install postgresql; scripts/testbed does)");
    }
    try (Stream<Path> each = Files.list(versions)) {
      return each.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0"))))
          .map(p -> p.resolve("bin"))
          .orElseThrow(() -> new IOException("no initdb under " + versions));
    }
  }
}
