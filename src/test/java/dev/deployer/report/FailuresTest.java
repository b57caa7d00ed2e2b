package dev.deployer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.ssh.RemoteException;
import dev.deployer.ssh.UnreachableException;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** How an error that ends a command reads, in the CLI and the shell alike. */
class FailuresTest {
  private final StringWriter err = new StringWriter();

  private int report(Throwable error, boolean verbose) {
    return Failures.report(error, new PrintWriter(err, true), verbose);
  }

  @Test
  void eachKindOfErrorHasItsExitCodeAndOneLine() {
    assertEquals(1, report(new ConfigException(new Location("play.yml", 3, 5), "bad"), false));
    assertEquals(3, report(new UnreachableException("no route to web1"), false));
    assertEquals(2, report(new RemoteException("docker pull failed"), false));
    assertEquals("error: play.yml:3: bad\nerror: no route to web1\nerror: docker pull failed\n", err.toString());
  }

  @Test
  void aDefectSaysSoAndShowsWhereOnlyWithVerbose() {
    assertEquals(2, report(new NullPointerException("x is null"), false));
    assertEquals("error: internal error: java.lang.NullPointerException: x is null (-v shows where)\n", err.toString());
    err.getBuffer().setLength(0);
    report(new NullPointerException("x is null"), true);
    assertTrue(err.toString().startsWith("error: internal error: java.lang.NullPointerException: x is null\n"
        + "java.lang.NullPointerException: x is null\n\tat "), err.toString());
  }
}
