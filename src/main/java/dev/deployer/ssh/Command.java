package dev.deployer.ssh;

import java.util.List;

/**
 * What deployer asks a host to run, as data: an argument list, a chain or pipeline of them, a
 * redirect, a script of deployer's own with its values as positional parameters, or a user's own
 * command line. Nothing outside this package turns a command into shell text: {@link #line()} is
 * the one place where values are quoted, so a value such as {@code $(touch /tmp/pwned)} stays a
 * value wherever it came from.
 */
public sealed interface Command
    permits Command.Argv, Command.Joined, Command.Redirected, Command.Script, Command.UserLine {

  /** The command as one line of POSIX shell. */
  String line();

  /** One program and its arguments, each passed as it is. */
  static Argv of(String... argv) {
    return new Argv(List.of(argv));
  }

  static Argv of(List<String> argv) {
    return new Argv(argv);
  }

  /**
   * A fixed script of deployer's own, run by {@code sh -c}; the values it works on arrive as
   * {@code $1}, {@code $2}, ... and never become part of its text.
   */
  static Script script(String script, String... args) {
    return new Script(script, List.of(args));
  }

  /** Runs {@code next} only when this one succeeded. */
  default Command and(Command next) {
    return new Joined(this, Operator.AND, next);
  }

  /** Runs {@code next} only when this one failed. */
  default Command or(Command next) {
    return new Joined(this, Operator.OR, next);
  }

  /** Feeds this one's output to {@code next}. */
  default Command pipe(Command next) {
    return new Joined(this, Operator.PIPE, next);
  }

  /** Drops what it writes to stderr. */
  default Command quietErrors() {
    return new Redirected(this, Redirect.ERRORS_AWAY, null);
  }

  /** Writes stderr where stdout goes, so a reader sees both in order. */
  default Command errorsToOutput() {
    return new Redirected(this, Redirect.ERRORS_TO_OUTPUT, null);
  }

  /** Reads stdin from a file on the host. */
  default Command inputFrom(String path) {
    return new Redirected(this, Redirect.INPUT_FROM_FILE, path);
  }

  /** Writes stdout to a file on the host, replacing it. */
  default Command outputTo(String path) {
    return new Redirected(this, Redirect.OUTPUT_TO_FILE, path);
  }

  /** How two commands are joined; the only shell syntax between commands deployer writes. */
  enum Operator {
    AND("&&"), OR("||"), PIPE("|");

    final String text;

    Operator(String text) {
      this.text = text;
    }
  }

  /** The redirects deployer writes. */
  enum Redirect {
    ERRORS_AWAY("2>/dev/null"), ERRORS_TO_OUTPUT("2>&1"), OUTPUT_TO_FILE(">"), INPUT_FROM_FILE("<");

    final String text;

    Redirect(String text) {
      this.text = text;
    }
  }

  /** An argument vector. */
  record Argv(List<String> argv) implements Command {
    public Argv {
      argv = List.copyOf(argv);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("a command needs a program");
      }
    }

    @Override
    public String line() {
      return ShellQuote.join(argv);
    }
  }

  /** Two commands joined by {@code &&}, {@code ||} or {@code |}. */
  record Joined(Command left, Operator operator, Command right) implements Command {
    @Override
    public String line() {
      return grouped(left, operator) + " " + operator.text + " " + grouped(right, operator);
    }

    /** A chain inside a pipeline (or the other way round) is braced, so it reads as written. */
    private static String grouped(Command part, Operator operator) {
      return part instanceof Joined joined && joined.operator() != operator ? "{ " + part.line() + "; }" : part.line();
    }
  }

  /** A command with one redirect: {@code 2>/dev/null}, {@code 2>&1}, {@code > file} or {@code < file}. */
  record Redirected(Command command, Redirect redirect, String file) implements Command {
    @Override
    public String line() {
      String inner = command instanceof Joined ? "{ " + command.line() + "; }" : command.line();
      return inner + " " + redirect.text + (file == null ? "" : " " + ShellQuote.quote(file));
    }
  }

  /** deployer's own script text with its values as positional parameters. */
  record Script(String script, List<String> args) implements Command {
    public Script {
      args = List.copyOf(args);
    }

    @Override
    public String line() {
      StringBuilder line = new StringBuilder("sh -c ").append(ShellQuote.quote(script)).append(" sh");
      args.forEach(arg -> line.append(' ').append(ShellQuote.quote(arg)));
      return line.toString();
    }
  }

  /**
   * A command line the user wrote ({@code command: "..."}), with the values its templates put in
   * marked as such: each is quoted for the place it lands (see {@link UserLine#text()}). It runs in
   * its own {@code sh -c}, so whatever it does to its shell stays there.
   */
  record UserLine(List<Piece> pieces) implements Command {
    public UserLine {
      pieces = List.copyOf(pieces);
    }

    /** A user's line with no values in it. */
    public static UserLine of(String text) {
      return new UserLine(List.of(new Piece(text, false)));
    }

    /** Part of the line: text as the user wrote it, or a value a template put there. */
    public record Piece(String text, boolean value) {}

    /** The line as the shell reads it, each value quoted where it landed. */
    public String text() {
      return ShellQuote.substitute(pieces);
    }

    /** The line as the user wrote it, values unquoted: for messages, never for running. */
    public String shown() {
      StringBuilder out = new StringBuilder();
      pieces.forEach(piece -> out.append(piece.text()));
      return out.toString();
    }

    @Override
    public String line() {
      return "sh -c " + ShellQuote.quote(text());
    }
  }
}
