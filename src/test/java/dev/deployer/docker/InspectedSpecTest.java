package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A hand-made container's configuration as docker inspect shows it, read back for its recreation. */
class InspectedSpecTest {
  private static final String IMAGE = """
      {"Config": {"Env": ["PATH=/usr/bin", "VERSION=1"], "Cmd": ["httpd", "-f"], "Entrypoint": null,
        "Labels": {"org.opencontainers.image.title": "app"}, "User": "", "WorkingDir": "/www",
        "Healthcheck": {"Test": ["CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/"], "Interval": 1000000000}}}
      """;

  @Test
  void keepsWhatWasGivenAndLeavesWhatCameFromTheImage() {
    String container = """
        {"Id": "0123456789abcdef0123", "Name": "/web",
         "Config": {"Env": ["PATH=/usr/bin", "VERSION=1", "GREETING=hi there"], "Cmd": ["httpd", "-f"], "Entrypoint": null,
           "Labels": {"org.opencontainers.image.title": "app", "team": "web", "com.docker.compose.project": "x",
             "deployer.service": "web"},
           "User": "1000", "WorkingDir": "/www", "StopTimeout": 3,
           "Healthcheck": {"Test": ["CMD", "test", "-f", "/tmp/ready now"], "Interval": 2000000000, "Retries": 4}},
         "HostConfig": {"PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18080"}]},
           "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}, "Memory": 67108864, "NanoCpus": 500000000,
           "ExtraHosts": ["db:10.0.0.5"], "NetworkMode": "appnet"},
         "Mounts": [{"Type": "volume", "Name": "0f0e0d0c0b0a09080706050403020100", "Destination": "/data", "RW": true},
                    {"Type": "bind", "Source": "/srv/conf", "Destination": "/conf", "RW": false},
                    {"Type": "tmpfs", "Destination": "/run"}],
         "NetworkSettings": {"Networks": {"appnet": {"Aliases": ["web", "0123456789ab", "frontend"]}}}}
        """;
    ContainerSpec spec = InspectedSpec.of(Docker.parse(container), Docker.parse(IMAGE));
    assertEquals("web", spec.name());
    assertEquals(Map.of("GREETING", "hi there"), spec.env(), "the image's own env is the new image's to give");
    assertEquals(Map.of("team", "web"), spec.labels(), "no image, Compose or deployer labels");
    assertNull(spec.command(), "the image's command stays the new image's");
    assertEquals(List.of("127.0.0.1:18080:8080/tcp"), spec.ports());
    assertEquals(List.of("0f0e0d0c0b0a09080706050403020100:/data", "/srv/conf:/conf:ro"), spec.volumes());
    assertEquals("appnet", spec.network());
    assertEquals(List.of("frontend"), spec.networkAliases());
    assertEquals(List.of("db:10.0.0.5"), spec.extraHosts());
    assertEquals("on-failure:3", spec.restartPolicy());
    assertEquals(3, spec.stopTimeout());
    assertEquals(List.of("--user", "1000", "--health-cmd", "test -f '/tmp/ready now'", "--health-interval", "2000ms",
        "--health-retries", "4", "--memory", "67108864", "--cpus", "0.5"), spec.createOptions());
  }

  @Test
  void anEntrypointOfItsOwnGoesFirstAndTheRestBeforeTheCommand() {
    String container = """
        {"Name": "/job", "Config": {"Env": [], "Cmd": ["--once"], "Entrypoint": ["/bin/sh", "-c", "run"], "Labels": {}},
         "HostConfig": {"RestartPolicy": {"Name": ""}}, "Mounts": [], "NetworkSettings": {"Networks": {"bridge": {}}}}
        """;
    ContainerSpec spec = InspectedSpec.of(Docker.parse(container), Docker.parse(IMAGE));
    assertEquals(List.of("--entrypoint", "/bin/sh"), spec.createOptions());
    assertEquals(List.of("-c", "run", "--once"), spec.command());
    assertEquals("no", spec.restartPolicy());
    assertNull(spec.network(), "the default bridge is not named");
  }
}
