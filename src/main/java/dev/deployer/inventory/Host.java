package dev.deployer.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One machine to deploy to, with how to reach it and its variables (all, group and host vars
 * already merged in Ansible's order).
 *
 * @param knownHosts the known_hosts file named by the inventory, or null for ~/.ssh/known_hosts
 * @param identityFile the private key to log in with, or null for the user's default keys
 */
public record Host(
    String name,
    String address,
    int port,
    String user,
    Path identityFile,
    Path knownHosts,
    List<String> groups,
    Map<String, Object> vars) {

  public Host {
    groups = List.copyOf(groups);
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
  }

  /**
   * The variables a task sees of this host before any play adds its own: the inventory's, and the
   * names Ansible gives it (inventory_hostname, ansible_host, ansible_port, ansible_user, group_names).
   */
  public Map<String, Object> variables() {
    Map<String, Object> all = new java.util.LinkedHashMap<>(vars);
    all.put("inventory_hostname", name);
    all.put("inventory_hostname_short", name.split("\\.")[0]);
    all.put("ansible_host", address);
    all.put("ansible_port", port);
    all.put("ansible_user", user);
    all.put("group_names", groups);
    return all;
  }

  /** "web1 (192.0.2.10:2222)", for messages. */
  public String describe() {
    return name + " (" + address + (port == 22 ? "" : ":" + port) + ")";
  }
}
