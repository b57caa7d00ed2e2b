package dev.deployer.docker;

import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.Command;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An HTTP check run from the host itself (with curl, or wget where curl is missing), so it sees
 * what the host's users see: published ports, not the container's inside.
 *
 * @param status the expected status code (curl only; wget reports only success or failure)
 * @param match a regex the body must contain, or null
 */
public record HttpProbe(String url, int status, Pattern match) {
  // wget's own -T crashes Debian's static busybox (seen in the testbed's images); timeout bounds it anywhere.
  private static final String SCRIPT =
      "if command -v curl >/dev/null 2>&1; then curl -sS -m 5 -w '\\n%{http_code}' \"$1\";"
          + " else timeout 5 wget -q -O - \"$1\" && printf '\\n200'; fi";

  /** Empty when the probe passes; otherwise what went wrong, in a few words. */
  public Optional<String> failure(Remote remote) {
    return failure(remote.run(Command.script(SCRIPT, url)));
  }

  /**
   * The same check made from inside a running container (the host's proxy, which sees the Docker
   * network as the requests it passes on will): its image needs sh and curl or wget.
   */
  public Optional<String> failureFrom(Remote remote, String container) {
    return failure(remote.run(DockerCommands.exec(container, false, java.util.List.of("sh", "-c", SCRIPT, "sh", url))));
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
      return Optional.of("GET " + url + " body does not match /" + match.pattern() + "/");
    }
    return Optional.empty();
  }
}
