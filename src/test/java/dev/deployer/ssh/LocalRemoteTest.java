package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local connection's own behaviour: commands as a shell runs them, copies, and the timeout. */
class LocalRemoteTest {
  @TempDir Path dir;

  @Test
  void runsTheSameQuotedLinesAnSshHostGetsWithOutputLineByLine() {
    try (LocalRemote here = new LocalRemote("here", Duration.ofSeconds(10))) {
      List<String> lines = new ArrayList<>();
      CommandResult result = here.run(Command.of("sh", "-c", "printf 'a b\\n$(x)\\n'; echo oops >&2; exit 3"), lines::add);
      assertEquals(3, result.exitCode());
      assertEquals("a b\n$(x)\n", result.stdout());
      assertEquals("oops\n", result.stderr());
      assertEquals(List.of("a b", "$(x)"), lines);
    }
  }

  @Test
  void inputIsStagedInAFileOnTheHostReadAndRemoved() throws Exception {
    try (LocalRemote here = new LocalRemote("here", Duration.ofSeconds(10))) {
      CommandResult result = here.runWithInput(Command.script("wc -c; echo \"$1\""), out -> out.write(new byte[100_000]));
      assertEquals(0, result.exitCode(), result.stderr());
      assertEquals("100000", result.stdout().lines().findFirst().orElseThrow().strip());
      CommandResult failed = here.runWithInput(Command.script("cat >/dev/null; exit 4"), out -> out.write('x'));
      assertEquals(4, failed.exitCode(), "the command's own status, not the clean-up's");
      try (var staged = Files.list(Path.of("/tmp"))) {
        assertEquals(List.of(), staged.filter(p -> p.getFileName().toString().startsWith(".deployer-input-")).toList());
      }
    }
  }

  @Test
  void copiesBothWaysWithTheModeAsked() throws Exception {
    try (LocalRemote here = new LocalRemote("here", Duration.ofSeconds(10))) {
      Path local = dir.resolve("in.sh");
      Files.writeString(local, "echo hi\n");
      here.upload(local, dir.resolve("out.sh").toString(), 0750);
      assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out.sh"))));
      here.download(dir.resolve("out.sh").toString(), dir.resolve("back.sh"));
      assertEquals("echo hi\n", Files.readString(dir.resolve("back.sh")));
    }
  }

  @Test
  void aCommandPastTheTimeoutIsStoppedAndReported() {
    try (LocalRemote here = new LocalRemote("here", Duration.ofMillis(300))) {
      long started = System.nanoTime();
      RemoteException e = assertThrows(RemoteException.class, () -> here.run(Command.of("sleep", "30")));
      assertTrue(e.getMessage().contains("timed out"), e.getMessage());
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos(), "stopped, not waited out");
    }
  }
}
