package dev.deployer.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who a client is: the socket's peer, unless that peer is a proxy the config trusts, and only
 * then its X-Real-IP or the last X-Forwarded-For hop (the one the proxy itself added). Anyone
 * can write those headers; only a trusted proxy's word counts.
 */
public final class ClientAddress {
  /** An address or a CIDR block, as written in trusted_proxies. */
  public record Block(byte[] network, int prefix) {
    public static Block parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      if (!address.matches("[0-9A-Fa-f:.]+")) {
        throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
      }
      byte[] network;
      try {
        network = InetAddress.getByName(address).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
      }
      int prefix;
      try {
        prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' has a bad prefix length");
      }
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException("'" + text + "' has a bad prefix length");
      }
      return new Block(network, prefix);
    }

    /** True when a literal IP address is in the block; a host name never is. */
    public boolean contains(String address) {
      if (!address.matches("[0-9A-Fa-f:.]+")) {
        return false;
      }
      try {
        return contains(InetAddress.getByName(address).getAddress());
      } catch (UnknownHostException e) {
        return false;
      }
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Block> trusted;

  public ClientAddress(List<Block> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  /**
   * @param peer the socket's remote address
   * @param realIp the X-Real-IP header, or null
   * @param forwardedFor the X-Forwarded-For header, or null
   */
  public String of(InetAddress peer, String realIp, String forwardedFor) {
    if (!isTrusted(peer)) {
      return peer.getHostAddress();
    }
    if (realIp != null && !realIp.isBlank()) {
      return realIp.trim();
    }
    if (forwardedFor != null && !forwardedFor.isBlank()) {
      String[] hops = forwardedFor.split(",");
      return hops[hops.length - 1].trim();
    }
    return peer.getHostAddress();
  }

  boolean isTrusted(InetAddress peer) {
    byte[] address = peer.getAddress();
    return trusted.stream().anyMatch(block -> block.contains(address));
  }
}
