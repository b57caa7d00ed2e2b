package dev.deployer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.ssh.CommandResult;
import dev.deployer.task.Change;
import dev.deployer.task.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
  @TempDir Path dir;

  @Test
  void writesCountsTasksAndHidesNoLogOutput() throws Exception {
    RunReport report = new RunReport();
    CommandResult secret = new CommandResult("echo s3cret", 0, "s3cret", "", 1);
    report.add(new TaskRecord("p", "build", "h1", Status.CHANGED, "built", Map.of("build_hash", new Change("a", "b")),
        List.of(), 10, false, false));
    report.add(new TaskRecord("p", "secret", "h1", Status.OK, "s3cret", Map.of(), List.of(secret), 5, false, true));
    report.add(new TaskRecord("p", "build", "h2", Status.FAILED, "exit 1", Map.of(), List.of(), 7, false, false));
    Path file = dir.resolve("r.json");
    JsonReport.write(report, file, true, false);

    JsonNode root = new ObjectMapper().readTree(file.toFile());
    JsonNode h1 = root.get("hosts").get("h1");
    assertEquals(1, h1.get("ok").asInt());
    assertEquals(1, h1.get("changed").asInt());
    assertEquals(0, h1.get("failed").asInt());
    assertEquals("b", h1.get("tasks").get(0).get("diff").get("build_hash").get("after").asText());
    assertEquals(1, root.get("hosts").get("h2").get("failed").asInt());
    assertEquals(RunReport.EXIT_FAILED, root.get("exit_code").asInt());
    assertFalse(java.nio.file.Files.readString(file).contains("s3cret"));
  }
}
