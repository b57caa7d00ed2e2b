package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerSpecTest {
  /** Jackson's record binding, which wrote every configuration label before toJson() was written by hand. */
  private static final ObjectMapper REFLECTIVE = new ObjectMapper();

  static Stream<ContainerSpec> specs() {
    return Stream.of(
        new ContainerSpec("bench-d", List.of("18080:8080"), Map.of(), null, List.of(), null, null, "unless-stopped",
            Map.of(), 1),
        new ContainerSpec("web", List.of("80:8080", "443:8443"), Map.of("B", "2", "A", "1 \"quoted\""), "/etc/web.env",
            List.of("data:/data"), "backend", List.of("serve", "--port", "8080"), "always", Map.of("team", "ops"), 10),
        new ContainerSpec("quotes", List.of(), Map.of(), null, List.of(), "deployer", List.of(), "unless-stopped",
            Map.of(), 30, new ProxySettings(18090, 8080, "quotes.example.com", "/up", 30, "internal", null)),
        new ContainerSpec("db", List.of(), Map.of("PGDATA", "/data"), null, List.of(), "unit-net", null, "no", Map.of(),
            5, null, List.of("db-data"), List.of("postgres"), List.of("gw:10.0.0.1"), List.of("--user", "999")));
  }

  @ParameterizedTest
  @MethodSource("specs")
  void writesTheSameJsonAsRecordBindingDid(ContainerSpec spec) throws Exception {
    assertEquals(REFLECTIVE.writeValueAsString(spec), spec.toJson().toString());
  }

  @ParameterizedTest
  @MethodSource("specs")
  void readsBackWhatItWroteAndWhatRecordBindingWrote(ContainerSpec spec) throws Exception {
    assertEquals(spec, ContainerSpec.fromJson(spec.toJson()));
    assertEquals(spec, ContainerSpec.fromJson(REFLECTIVE.readTree(REFLECTIVE.writeValueAsString(spec))));
  }

  @Test
  void theHashOfAContainerDeployedBeforeStaysTheSame() {
    // The label of the bench's container, deployed by the record-binding version: an upgrade must
    // not see every running container as changed.
    ContainerSpec deployed = ContainerSpec.fromJson(Docker.parse("{\"name\":\"bench-d\",\"ports\":[\"18080:8080\"],"
        + "\"env\":{},\"envFile\":null,\"volumes\":[],\"network\":null,\"command\":null,"
        + "\"restartPolicy\":\"unless-stopped\",\"labels\":{},\"stopTimeout\":1}"));
    assertEquals("5111c6e7d8141841", deployed.hash());
    assertNull(deployed.command());
    assertNull(deployed.proxy());
  }
}
