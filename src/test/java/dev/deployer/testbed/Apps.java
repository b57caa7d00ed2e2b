package dev.deployer.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test apps built on every testbed host through deployer itself (sync_dir + docker_build), and
 * HTTP checks from the test, as a user would check a deploy from outside.
 */
public final class Apps {
  /** busybox httpd serving "version X"; healthy when its page answers. */
  public static final String GOOD = """
      ARG BASE
      FROM ${BASE}
      ARG VERSION
      RUN mkdir -p /www && echo "version ${VERSION}" > /www/index.html
      HEALTHCHECK --interval=1s --timeout=1s --start-period=1s --retries=3 \\
        CMD wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1
      CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
      """;

  /** Serves its page, but its HEALTHCHECK always fails. */
  public static final String UNHEALTHY = """
      ARG BASE
      FROM ${BASE}
      ARG VERSION
      RUN mkdir -p /www && echo "version ${VERSION}" > /www/index.html
      HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD false
      CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
      """;

  /** Healthy only after five seconds: holds a deploy (and its lock) that long. */
  public static final String SLOW = """
      ARG BASE
      FROM ${BASE}
      ARG VERSION
      RUN mkdir -p /www && echo "version ${VERSION}" > /www/index.html
      HEALTHCHECK --interval=1s --timeout=1s --start-period=10s --retries=3 CMD test -f /tmp/ready
      CMD ["sh", "-c", "sleep 5; touch /tmp/ready; exec httpd -f -p 8080 -h /www"]
      """;

  /** httpd runs as a daemon under a shell, so a test can kill it and leave the container unhealthy. */
  public static final String KILLABLE = """
      ARG BASE
      FROM ${BASE}
      ARG VERSION
      RUN mkdir -p /www && echo "version ${VERSION}" > /www/index.html
      HEALTHCHECK --interval=1s --timeout=1s --retries=2 \\
        CMD wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1
      CMD ["sh", "-c", "httpd -p 8080 -h /www && exec sleep 2147483647"]
      """;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private Apps() {}

  /** Builds IMAGE -> Dockerfile on the given hosts, each with build arg VERSION = its tag. */
  public static void build(Testbed testbed, Path work, String hosts, Map<String, String> images) throws IOException {
    StringBuilder tasks = new StringBuilder();
    Map<String, String> ordered = new LinkedHashMap<>(images);
    int i = 0;
    for (Map.Entry<String, String> image : ordered.entrySet()) {
      Path dir = work.resolve("app" + i);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("Dockerfile"), image.getValue());
      String tag = image.getKey().substring(image.getKey().lastIndexOf(':') + 1);
      tasks.append("""
              - sync_dir: {src: app%1$d, dest: /opt/it-apps/%2$s/app%1$d, delete: true}
              - docker_build:
                  context: /opt/it-apps/%2$s/app%1$d
                  image: "%3$s"
                  build_args: {BASE: "{{base_image}}", VERSION: "%4$s"}
          """.formatted(i, work.getFileName(), image.getKey(), tag));
      i++;
    }
    Path book = work.resolve("build.yml");
    Files.writeString(book, "- hosts: " + hosts + "\n  tasks:\n" + tasks);
    Testbed.Result result = Testbed.deployer("play", book.toString(), "-i", testbed.inventory().toString());
    assertEquals(0, result.exitCode(), result.toString());
  }

  /** The page a host serves on a port, or the error that stands for "down". */
  public static String get(String address, int port) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + ":" + port + "/"))
          .timeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body().trim() : "HTTP " + response.statusCode();
    } catch (IOException e) {
      return "down: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
