package dev.deployer.ssh;

/** How host keys are checked against known_hosts, as OpenSSH's StrictHostKeyChecking. */
public enum HostKeyChecking {
  /** Only hosts already in known_hosts with the same key. The default. */
  STRICT,
  /** Hosts not yet in known_hosts are added; a changed key is still refused. */
  ACCEPT_NEW,
  /** No checking at all: for throwaway hosts only. */
  OFF;

  /** OpenSSH's words for the modes (yes, no) are taken too. */
  public static HostKeyChecking parse(String text) {
    return switch (text.toLowerCase()) {
      case "strict", "yes" -> STRICT;
      case "accept-new" -> ACCEPT_NEW;
      case "off", "no" -> OFF;
      default -> throw new IllegalArgumentException(
          "unknown host key checking '" + text + "': use strict, accept-new or off");
    };
  }
}
