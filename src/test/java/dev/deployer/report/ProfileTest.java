package dev.deployer.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.ssh.CommandResult;
import dev.deployer.task.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTest {
  @Test
  void eachTaskIsSplitIntoTimeOnTheHostAndHereAndTheFirstDoesNotCountTheConnection() {
    RunReport report = new RunReport();
    List<CommandResult> two = List.of(new CommandResult("a", 0, "", "", 40), new CommandResult("b", 0, "", "", 60));
    report.add(new TaskRecord("p", "sync_dir", "web1", Status.CHANGED, "", Map.of(), two, 450, false, false));
    report.add(new TaskRecord("p", "swap_container", "web1", Status.OK, "", Map.of(),
        List.of(new CommandResult("c", 0, "", "", 30)), 35, false, false));
    Profile profile = new Profile();
    profile.runStarts();
    profile.connected("web1", 300, false);
    StringWriter text = new StringWriter();
    profile.print(new PrintWriter(text), report);
    String out = text.toString();
    assertTrue(out.contains("PROFILE: ") && out.contains("start-up"), out);
    assertTrue(out.contains("  web1: connect 300 ms"), out);
    assertTrue(out.matches("(?s).*sync_dir +150 ms: on the host 100 ms \\(2 commands\\), here 50 ms.*"), out);
    assertTrue(out.matches("(?s).*swap_container +35 ms: on the host 30 ms \\(1 command\\), here 5 ms.*"), out);
  }
}
