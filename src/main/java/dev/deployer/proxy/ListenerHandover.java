package dev.deployer.proxy;

import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.Remote;
import java.util.List;

/**
 * Linux's {@code net.ipv4.tcp_migrate_req}, which the proxy's reloads need. Caddy gives each new
 * configuration a listening socket of its own (SO_REUSEPORT) and closes the old one; connections
 * the kernel had queued on the old socket are reset, unless this setting hands them to the new
 * one. Measured on the testbed (Caddy 2.6.2, four clients, a reload every 0.1 s): 11 to 16 resets in
 * about 20,000 requests with it off, none with it on. It belongs to the host's network namespace,
 * where the proxy runs; it is set through a short-lived container on that namespace with only
 * NET_ADMIN and a writable /proc/sys (no tool or root login needed on the host beyond Docker), and
 * written to {@code /etc/sysctl.d}, so a reboot keeps it.
 */
public final class ListenerHandover {
  /** What the host has: on (and kept across reboots), off, or a kernel without it (before 5.14). */
  public enum State { ON, OFF, UNSUPPORTED }

  private static final String SETTING = "/proc/sys/net/ipv4/tcp_migrate_req";
  static final String KEPT_IN = "/etc/sysctl.d/60-deployer-proxy.conf";
  private static final String READ = "if [ ! -e " + SETTING + " ]; then echo unsupported;"
      + " elif [ \"$(cat " + SETTING + ")\" = 1 ] && [ -f " + KEPT_IN + " ]; then echo on; else echo off; fi";
  private static final String TURN_ON = "sysctl -w net.ipv4.tcp_migrate_req=1 >/dev/null"
      + " && printf '%s\\n' '# Written by deployer: the proxy (deployer-proxy) reloads without resetting queued connections.'"
      + " 'net.ipv4.tcp_migrate_req = 1' > /sysctl.d/60-deployer-proxy.conf";

  private ListenerHandover() {}

  public static State read(Remote remote) {
    String answer = remote.run(Command.script(READ)).stdout().trim();
    return switch (answer) {
      case "on" -> State.ON;
      case "unsupported" -> State.UNSUPPORTED;
      default -> State.OFF;
    };
  }

  /** Turns it on, with the proxy's own image (which has busybox's sysctl). */
  public static void turnOn(Docker docker, String image) {
    docker.run("turn on net.ipv4.tcp_migrate_req", DockerCommands.runOnce(image, List.of("--network", "host", "--cap-add", "NET_ADMIN",
        "--security-opt", "systempaths=unconfined",
        "--volume", "/etc/sysctl.d:/sysctl.d", "--entrypoint", "sh"), List.of("-c", TURN_ON)));
  }
}
