package dev.maestro.engine.tool.builtin;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses {@code http_request} must not reach unless their host is allow-listed: the
 * machine itself, private networks and cloud metadata endpoints (server-side request forgery).
 * Ranges are from the IANA special-purpose registries (RFC 6890 and its updates).
 */
final class NonPublicAddresses {
  private NonPublicAddresses() {}

  /** Why this address is not public, or empty if it is. */
  static Optional<String> reason(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return ipv4(b);
    }
    if (address instanceof Inet6Address) {
      return ipv6(b);
    }
    return Optional.of("of an unknown kind");
  }

  private static Optional<String> ipv4(byte[] b) {
    int a0 = b[0] & 0xFF;
    int a1 = b[1] & 0xFF;
    if (a0 == 0) {
      return Optional.of("a 'this host' address (0.0.0.0/8)");
    }
    if (a0 == 127) {
      return Optional.of("a loopback address (127.0.0.0/8)");
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xF0) == 16) || (a0 == 192 && a1 == 168)) {
      return Optional.of("a private address (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)");
    }
    if (a0 == 169 && a1 == 254) {
      return Optional.of("a link-local address (169.254.0.0/16, where cloud metadata services live)");
    }
    if (a0 == 100 && (a1 & 0xC0) == 64) {
      return Optional.of("a carrier-grade NAT address (100.64.0.0/10)");
    }
    if (a0 >= 224 && a0 <= 239) {
      return Optional.of("a multicast address (224.0.0.0/4)");
    }
    if (a0 >= 240) {
      return Optional.of("a reserved or broadcast address (240.0.0.0/4)");
    }
    return Optional.empty();
  }

  private static Optional<String> ipv6(byte[] b) {
    if (allZero(b, 0, 15) && b[15] == 0) {
      return Optional.of("the unspecified address (::)");
    }
    if (allZero(b, 0, 15) && b[15] == 1) {
      return Optional.of("the loopback address (::1)");
    }
    if (allZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
      return embedded(b, 12, "IPv4-mapped");
    }
    if (allZero(b, 0, 12)) {
      return embedded(b, 12, "IPv4-compatible");
    }
    int b0 = b[0] & 0xFF;
    int b1 = b[1] & 0xFF;
    if (b0 == 0xFF) {
      return Optional.of("a multicast address (ff00::/8)");
    }
    if (b0 == 0xFE && (b1 & 0xC0) == 0x80) {
      return Optional.of("a link-local address (fe80::/10)");
    }
    if (b0 == 0xFE && (b1 & 0xC0) == 0xC0) {
      return Optional.of("a site-local address (fec0::/10)");
    }
    if ((b0 & 0xFE) == 0xFC) {
      return Optional.of("a unique local address (fc00::/7)");
    }
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that gateways will reach.
    if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B && allZero(b, 4, 12)) {
      return embedded(b, 12, "NAT64");
    }
    if (b0 == 0x20 && b1 == 0x02) {
      return embedded(b, 2, "6to4");
    }
    return Optional.empty();
  }

  private static Optional<String> embedded(byte[] b, int offset, String kind) {
    byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
    return ipv4(v4).map(r -> "the " + kind + " IPv6 form of " + v4Text(b, offset) + ", " + r);
  }

  private static String v4Text(byte[] b, int offset) {
    return (b[offset] & 0xFF) + "." + (b[offset + 1] & 0xFF) + "." + (b[offset + 2] & 0xFF) + "." + (b[offset + 3] & 0xFF);
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
