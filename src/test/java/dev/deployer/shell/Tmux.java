package dev.deployer.shell;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A program in a tmux pane: a real pseudo-terminal, driven by keys as a person would drive it. */
final class Tmux implements AutoCloseable {
  private final String session = "deployer-it-" + ProcessHandle.current().pid();

  Tmux(String command, Path dir, Map<String, String> env) {
    List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "150", "-y", "50", "-c",
        dir.toString()));
    env.forEach((key, value) -> args.addAll(List.of("-e", key + "=" + value)));
    // The pane stays after the program ends, so its last screen can still be read.
    args.add(command + "; echo '[exited '$?']'; sleep 600");
    tmux(args);
  }

  /** Types keys: text, or tmux key names such as Enter, Tab, C-c, C-d. */
  void send(String... keys) {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
    args.addAll(List.of(keys));
    tmux(args);
  }

  /** Types a line and presses Enter. */
  void line(String text) {
    send("-l", text);
    send("Enter");
  }

  /**
   * The screen and what scrolled off it, lines joined where they wrapped, without the blank rows
   * below the cursor (so its length only grows) and with each line's trailing spaces dropped.
   */
  String screen() {
    return tmux(List.of("capture-pane", "-p", "-J", "-S", "-3000", "-t", session)).stripTrailing();
  }

  /** Waits until the screen, after {@code from} characters of it, matches; fails with the screen if it does not. */
  String await(String regex, int from, Duration timeout) {
    Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE | Pattern.DOTALL);
    long deadline = System.nanoTime() + timeout.toNanos();
    String screen = screen();
    while (System.nanoTime() < deadline) {
      screen = screen();
      if (screen.length() > from && pattern.matcher(screen.substring(from)).find()) {
        return screen;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    fail("waited " + timeout.toSeconds() + "s for /" + regex + "/ on the screen:\n" + screen);
    return screen;
  }

  @Override
  public void close() {
    tmux(List.of("kill-session", "-t", session));
  }

  private static String tmux(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("tmux");
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0 && !args.get(0).equals("kill-session")) {
        fail("tmux " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run tmux (scripts/test installs it): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
