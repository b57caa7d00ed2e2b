package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComposeServiceTest {
  private static ComposeService read(String labels) {
    return ComposeService.of(Docker.parse("{\"Config\": {\"Labels\": " + labels + "}}")).orElseThrow();
  }

  @Test
  void readsWhatComposeV1Recorded() {
    ComposeService service = read("""
        {"com.docker.compose.project": "shop", "com.docker.compose.service": "web",
         "com.docker.compose.project.working_dir": "/srv/shop",
         "com.docker.compose.project.config_files": "compose.yml"}""");
    assertEquals(new ComposeService("shop", "web", "/srv/shop", List.of("compose.yml")), service);
    assertTrue(service.updatable());
    assertArrayEquals(new String[] {"label=com.docker.compose.project=shop", "label=com.docker.compose.service=web"},
        service.containerFilters());
  }

  @Test
  void readsComposeV2sAbsoluteFilesJoinedByCommas() {
    ComposeService service = read("""
        {"com.docker.compose.project": "shop", "com.docker.compose.service": "web",
         "com.docker.compose.project.working_dir": "/srv/shop",
         "com.docker.compose.project.config_files": "/srv/shop/compose.yml,/srv/shop/compose.prod.yml"}""");
    assertEquals(List.of("/srv/shop/compose.yml", "/srv/shop/compose.prod.yml"), service.configFiles());
  }

  @Test
  void aContainerWithoutComposeLabelsIsNoComposeService() {
    assertTrue(ComposeService.of(Docker.parse("{\"Config\": {\"Labels\": {\"team\": \"web\"}}}")).isEmpty());
    assertTrue(ComposeService.of(Docker.parse("{\"Config\": {\"Labels\": null}}")).isEmpty());
  }

  @Test
  void withoutItsDirectoryItCannotBeUpdated() {
    assertFalse(read("{\"com.docker.compose.project\": \"old\", \"com.docker.compose.service\": \"web\"}").updatable());
  }

  /** Every label value stays an argument: a project directory like $(reboot) is a path, not a command. */
  @Test
  void upRunsInTheProjectsDirectoryWithItsFilesAndQuotesEveryValue() {
    String line = new ComposeService("shop", "web", "/srv/$(reboot)", List.of("a b.yml")).up().line();
    assertTrue(line.startsWith("sh -c 'cd \"$1\" || exit 3"), line);
    assertTrue(line.endsWith(" sh '/srv/$(reboot)' -p shop -f 'a b.yml' up -d --no-deps --no-build web"), line);
  }
}
