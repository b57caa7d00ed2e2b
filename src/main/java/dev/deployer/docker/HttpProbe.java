package dev.deployer.docker;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An HTTP check run from the host itself (with curl, or wget where curl is missing), so it sees
 * what the host's users see: published ports, not the container's inside. It can also be made from
 * inside a container, or from a throwaway one on a Docker network, to see what other containers see.
 *
 * @param status the expected status code (curl only; wget reports only success or failure)
 * @param match a regex the body must contain, or null
 * @param caCert a CA certificate to trust for https (a path where the probe runs; needs curl), or null
 */
public record HttpProbe(String url, int status, Pattern match, String caCert) {
  // wget's own -T crashes Debian's static busybox (seen in the testbed's images); timeout bounds it anywhere.
  private static final String SCRIPT = "u=$1; c=$2; if command -v curl >/dev/null 2>&1; then"
      + " if [ -n \"$c\" ]; then set -- --cacert \"$c\"; else set --; fi;"
      + " curl -sS -m 5 \"$@\" -w '\\n%{http_code}' \"$u\";"
      + " elif [ -n \"$c\" ]; then echo 'ca_cert needs curl, which is not here' >&2; exit 2;"
      + " else timeout 5 wget -q -O - \"$u\" && printf '\\n200'; fi";
  /** Where a throwaway probe container finds the CA certificate mounted from the host. */
  private static final String MOUNTED_CA = "/deployer-ca.pem";

  public HttpProbe(String url, int status, Pattern match) {
    this(url, status, match, null);
  }

  /** Empty when the probe passes; otherwise what went wrong, in a few words. */
  public Optional<String> failure(Remote remote) {
    return failure(remote.run(Command.script(SCRIPT, url, caCertOrEmpty())));
  }

  /**
   * The same check made from inside a running container (the host's proxy, which sees the Docker
   * network as the requests it passes on will): its image needs sh and curl or wget. A CA
   * certificate is a path inside that container.
   */
  public Optional<String> failureFrom(Remote remote, String container) {
    return failure(remote.run(DockerCommands.exec(container, false, List.of("sh", "-c", SCRIPT, "sh", url, caCertOrEmpty()))));
  }

  /**
   * The same check made from a throwaway container of {@code image} attached to {@code network}, as
   * a container on that network would make it; a CA certificate is a file on the host, mounted in.
   */
  public Optional<String> failureFromNetwork(Remote remote, String network, String image) {
    List<String> options = new ArrayList<>(List.of("--network", network, "--entrypoint", "sh"));
    if (caCert != null) {
      options.addAll(List.of("-v", caCert + ":" + MOUNTED_CA + ":ro"));
    }
    return failure(remote.run(DockerCommands.runOnce(image, options,
        List.of("-c", SCRIPT, "sh", url, caCert == null ? "" : MOUNTED_CA))));
  }

  private String caCertOrEmpty() {
    return caCert == null ? "" : caCert;
  }

  private Optional<String> failure(CommandResult result) {
    if (!result.ok()) {
      return Optional.of("GET " + url + ": " + result.errorSummary());
    }
    String out = result.stdout();
    int cut = out.lastIndexOf('\n');
    String body = cut < 0 ? "" : out.substring(0, cut);
    String code = out.substring(cut + 1).trim();
    if (!code.equals(Integer.toString(status))) {
      return Optional.of("GET " + url + " answered " + code + ", expected " + status);
    }
    if (match != null && !match.matcher(body).find()) {
      return Optional.of("GET " + url + " answered " + code + " but the body does not match /" + match.pattern()
          + "/: " + excerpt(body));
    }
    return Optional.empty();
  }

  /** The start of a body, on one line, so a wrong answer is shown as what it said. */
  private static String excerpt(String body) {
    String line = body.strip().replaceAll("\\s+", " ");
    return line.isEmpty() ? "(empty)" : '"' + (line.length() > 120 ? line.substring(0, 120) + "..." : line) + '"';
  }
}
