package dev.refrain.api;

import java.util.Optional;

/**
 * One span of a `Range: bytes=` header. {@code first < 0} asks for the last {@code -first} bytes
 * (`bytes=-500`); {@code last < 0} runs to the end (`bytes=100-`).
 */
record ByteRange(long first, long last) {

  /** Empty for no header, a malformed one, or several spans: all are answered with the whole file. */
  static Optional<ByteRange> parse(String header) {
    if (header == null || !header.startsWith("bytes=")) return Optional.empty();
    String spec = header.substring("bytes=".length()).trim();
    if (!spec.matches("\\d*-\\d*") || spec.equals("-")) return Optional.empty();
    int dash = spec.indexOf('-');
    String a = spec.substring(0, dash);
    String b = spec.substring(dash + 1);
    try {
      if (a.isEmpty()) {
        long n = Long.parseLong(b);
        return n > 0 ? Optional.of(new ByteRange(-n, -1)) : Optional.empty();
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? -1 : Long.parseLong(b);
      return last < 0 || last >= first ? Optional.of(new ByteRange(first, last)) : Optional.empty();
    } catch (NumberFormatException tooBig) {
      return Optional.empty();
    }
  }

  boolean suffix() {
    return first < 0;
  }

  /** Bytes asked for from {@link #first}: to {@link #last}, or all the rest. */
  long length() {
    return last < 0 ? Long.MAX_VALUE : last - first + 1;
  }

  /** The first byte served from a blob of {@code size} bytes. */
  long from(long size) {
    return suffix() ? Math.max(0, size + first) : first;
  }

  /** The last byte served from a blob of {@code size} bytes (before {@link #from} when nothing can be). */
  long to(long size) {
    return suffix() || last < 0 ? size - 1 : Math.min(last, size - 1);
  }
}
