package dev.refrain.api;

import java.util.Optional;

/** The {@code Prefer} request header (RFC 7240), of which Refrain honours {@code wait}. */
final class Prefer {
  private Prefer() {}

  /**
   * The seconds of {@code wait=<s>} in a header such as {@code respond-async, wait=30}. A malformed
   * preference is ignored, as RFC 7240 asks: it is a wish, never a reason to refuse a request.
   */
  static Optional<Long> waitSeconds(String header) {
    if (header == null) return Optional.empty();
    for (String pref : header.split(",")) {
      String token = pref.split(";", 2)[0].trim();
      int eq = token.indexOf('=');
      if (eq < 0 || !token.substring(0, eq).trim().equalsIgnoreCase("wait")) continue;
      String v = token.substring(eq + 1).trim().replace("\"", "");
      try {
        long s = Long.parseLong(v);
        if (s >= 0) return Optional.of(s);
      } catch (NumberFormatException ignored) {
        // not a number: as if absent
      }
    }
    return Optional.empty();
  }
}
