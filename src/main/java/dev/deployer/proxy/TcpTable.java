package dev.deployer.proxy;

import java.util.Locale;

/** Reads {@code /proc/net/tcp}: the host's IPv4 TCP sockets, addresses in hex, the kernel's byte order. */
final class TcpTable {
  private static final String ESTABLISHED = "01";

  private TcpTable() {}

  /** Established connections to {@code address:port} (an IPv4 address), as the table lists them. */
  static int established(String table, String upstream) {
    String wanted = hex(upstream);
    int count = 0;
    for (String line : table.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      // sl local_address rem_address st ...
      if (fields.length > 3 && fields[2].equalsIgnoreCase(wanted) && fields[3].equals(ESTABLISHED)) {
        count++;
      }
    }
    return count;
  }

  /** "172.19.0.5:8080" as the table writes it on a little-endian machine: "050013AC:1F90". */
  static String hex(String upstream) {
    int colon = upstream.lastIndexOf(':');
    String[] octets = upstream.substring(0, colon).split("\\.");
    int port = Integer.parseInt(upstream.substring(colon + 1));
    StringBuilder hex = new StringBuilder();
    for (int i = 3; i >= 0; i--) {
      hex.append(String.format(Locale.ROOT, "%02X", Integer.parseInt(octets[i])));
    }
    return hex.append(String.format(Locale.ROOT, ":%04X", port)).toString();
  }
}
