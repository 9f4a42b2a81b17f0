package dev.refrain.fetch;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Decides whether the server may open a connection to an address, so that a URL from a caller
 * (input audio, webhook endpoint) cannot reach this machine, its private network or the cloud
 * metadata service.
 */
@FunctionalInterface
public interface AddressPolicy {
  /** Why the address must not be contacted ("refused: 127.0.0.1 is a loopback address"), or empty. */
  Optional<String> refusal(InetAddress address);

  /** Refuses every address that is not public internet unless {@code allowPrivate}. */
  static AddressPolicy of(boolean allowPrivate) {
    return allowPrivate ? address -> Optional.empty() : AddressPolicy::publicOnly;
  }

  /**
   * Resolves the host (a name or an IP literal, IPv6 in brackets or not) and checks every address
   * it has, since the connection may go to any of them. Also the reason when it cannot be resolved.
   */
  default Optional<String> refusalForHost(String host) {
    try {
      return refusalOfAny(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      return Optional.of("cannot resolve host " + host);
    }
  }

  /**
   * The same for a check ahead of time (a webhook endpoint when its task is created), where a host
   * that does not resolve now is no reason to refuse: it is resolved and checked again to connect.
   */
  default Optional<String> refusalIfResolves(String host) {
    try {
      return refusalOfAny(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private Optional<String> refusalOfAny(InetAddress[] addresses) {
    for (InetAddress address : addresses) {
      Optional<String> refusal = refusal(address);
      if (refusal.isPresent()) return refusal;
    }
    return Optional.empty();
  }

  private static Optional<String> publicOnly(InetAddress address) {
    byte[] b = address.getAddress();
    String kind = address instanceof Inet4Address ? ipv4Kind(b, 0) : ipv6Kind(b);
    if (kind == null) return Optional.empty();
    // toString() carries the name the address was resolved from, without a reverse lookup.
    String text = address.toString();
    String name = text.substring(0, text.lastIndexOf('/'));
    String shown = name.isEmpty() ? address.getHostAddress() : name + " (" + address.getHostAddress() + ")";
    return Optional.of("refused: " + shown + " is " + kind);
  }

  /** What makes the IPv4 address at {@code b[at..at+3]} non-public, or null when it is public. */
  private static String ipv4Kind(byte[] b, int at) {
    int a0 = b[at] & 0xff, a1 = b[at + 1] & 0xff;
    int all = (a0 << 24) | (a1 << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    if (a0 == 0) return "an unspecified address";
    if (a0 == 127) return "a loopback address";
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) return "a private address";
    if (a0 == 100 && (a1 & 0xc0) == 64) return "a shared (carrier-grade NAT) address";
    if (all == 0xa9fea9fe) return "a link-local address (cloud metadata)";
    if (a0 == 169 && a1 == 254) return "a link-local address";
    if ((a0 & 0xf0) == 224) return "a multicast address";
    if (all == -1) return "the broadcast address";
    if ((a0 & 0xf0) == 240) return "a reserved address";
    return null;
  }

  private static String ipv6Kind(byte[] b) {
    if (isZero(b, 0, 12)) {
      if (isZero(b, 12, 15) && b[15] == 0) return "an unspecified address";
      if (isZero(b, 12, 15) && b[15] == 1) return "a loopback address";
      return ipv4Kind(b, 12); // IPv4-compatible ::a.b.c.d
    }
    if (isZero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff) return ipv4Kind(b, 12); // IPv4-mapped
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that a gateway would reach.
    if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && isZero(b, 4, 12)) return ipv4Kind(b, 12);
    if (b[0] == 0x20 && b[1] == 0x02) return ipv4Kind(b, 2);
    int b0 = b[0] & 0xff, b1 = b[1] & 0xff;
    if ((b0 & 0xfe) == 0xfc) return "a private (unique local) address";
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) return "a link-local address";
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) return "a private (site-local) address";
    if (b0 == 0xff) return "a multicast address";
    return null;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] != 0) return false;
    return true;
  }
}
