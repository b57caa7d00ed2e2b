package dev.deployer.report;

import dev.deployer.ssh.RemoteException;
import dev.deployer.ssh.UnreachableException;
import dev.deployer.template.TemplateException;
import dev.deployer.yaml.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * What an error that ends a command means to the user: its exit code and its one {@code error:}
 * line. The CLI and the shell both end commands here, so a mistake reads the same in both. What
 * deployer did not expect (a defect) says so, and shows its stack trace with -v.
 */
public final class Failures {
  private Failures() {}

  /** {@link RunReport#EXIT_USAGE} for what the user wrote, EXIT_UNREACHABLE, else EXIT_FAILED. */
  public static int exitCode(Throwable error) {
    if (error instanceof ConfigException || error instanceof TemplateException) {
      return RunReport.EXIT_USAGE;
    }
    if (error instanceof UnreachableException) {
      return RunReport.EXIT_UNREACHABLE;
    }
    return RunReport.EXIT_FAILED;
  }

  /** Errors deployer expects (the user's input, a host, a file): their message is the whole story. */
  public static boolean expected(Throwable error) {
    return error instanceof ConfigException || error instanceof TemplateException
        || error instanceof RemoteException || error instanceof IOException;
  }

  /** Prints the one error line (and, for a defect with verbose on, where it happened); returns the exit code. */
  public static int report(Throwable error, PrintWriter err, boolean verbose) {
    if (expected(error)) {
      err.println("error: " + error.getMessage());
    } else {
      err.println("error: internal error: " + error + (verbose ? "" : " (-v shows where)"));
      if (verbose) {
        error.printStackTrace(err);
      }
    }
    err.flush();
    return exitCode(error);
  }
}
