package dev.deployer.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Docker;
import dev.deployer.ssh.Remote;
import dev.deployer.template.TemplateException;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code container_ip} variable: {@code {{container_ip.web}}} is the address container web has
 * on its Docker network right now, read on the host when a template uses it (the seed's
 * {@code {{.Network.IPAddress}}(web)}). A container on several networks gives the first with an
 * address; {@code {{container_ip.web.NETWORK}}} is not needed often enough to exist.
 *
 * <p>Under --check a container that does not exist yet (a task before would create it) reads as
 * {@code <address of web>}, so a plan can still be shown.
 */
final class ContainerAddresses extends AbstractMap<String, Object> {
  private final Supplier<Remote> remote;
  private final boolean check;
  private final String host;

  ContainerAddresses(Supplier<Remote> remote, boolean check, String host) {
    this.remote = remote;
    this.check = check;
    this.host = host;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String;
  }

  @Override
  public Object get(Object key) {
    String container = String.valueOf(key);
    Optional<JsonNode> found = new Docker(remote.get()).inspectContainer(container);
    if (found.isEmpty()) {
      if (check) {
        return "<address of " + container + ">";
      }
      throw new TemplateException("container_ip." + container + ": there is no container " + container + " on " + host);
    }
    Iterator<Map.Entry<String, JsonNode>> networks = found.get().path("NetworkSettings").path("Networks").fields();
    while (networks.hasNext()) {
      String address = networks.next().getValue().path("IPAddress").asText("");
      if (!address.isEmpty()) {
        return address;
      }
    }
    if (check) {
      return "<address of " + container + ">";
    }
    throw new TemplateException("container_ip." + container + ": container " + container + " on " + host
        + " has no address (not running, or on the host's network)");
  }

  /** Nothing to list: the addresses are read one by one, when used. */
  @Override
  public Set<Entry<String, Object>> entrySet() {
    return Set.of();
  }
}
