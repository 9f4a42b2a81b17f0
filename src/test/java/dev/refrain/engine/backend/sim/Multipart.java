package dev.refrain.engine.backend.sim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A small {@code multipart/form-data} reader (what the simulators accept) and writer (what the client
 * side of the contract tests sends). Enough of RFC 7578 for the two backends: parts with a
 * {@code Content-Disposition: form-data; name=...; filename=...} and optional {@code Content-Type}.
 */
public final class Multipart {
  /** One part. {@code filename} is null for plain fields (a file part may still have an empty one). */
  public record Part(String name, String filename, String contentType, byte[] data) {
    public boolean isFile() {
      return filename != null;
    }

    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private Multipart() {}

  /** The boundary of a {@code multipart/*} content type, if it has one. */
  public static Optional<String> boundary(String contentType) {
    if (contentType == null) return Optional.empty();
    for (String p : contentType.split(";")) {
      String t = p.trim();
      if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = t.substring("boundary=".length()).trim();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
        return b.isEmpty() ? Optional.empty() : Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** Splits {@code body}; throws {@link IllegalArgumentException} when it is not well formed. */
  public static List<Part> parse(byte[] body, String boundary) {
    byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] sep = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int pos = indexOf(body, delim, 0);
    if (pos < 0) throw new IllegalArgumentException("no opening boundary");
    pos += delim.length;
    List<Part> parts = new ArrayList<>();
    while (true) {
      if (pos + 2 <= body.length && body[pos] == '-' && body[pos + 1] == '-') return parts; // closing
      if (pos + 2 > body.length || body[pos] != '\r' || body[pos + 1] != '\n') {
        throw new IllegalArgumentException("malformed boundary line");
      }
      pos += 2;
      int headEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, pos);
      if (headEnd < 0) throw new IllegalArgumentException("part without header end");
      String name = null;
      String filename = null;
      String type = null;
      String head = new String(body, pos, headEnd - pos, StandardCharsets.UTF_8);
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon < 0) continue;
        String h = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String v = line.substring(colon + 1).trim();
        if (h.equals("content-type")) type = v;
        if (h.equals("content-disposition")) {
          name = param(v, "name");
          filename = param(v, "filename");
        }
      }
      int dataStart = headEnd + 4;
      int end = indexOf(body, sep, dataStart);
      if (end < 0) throw new IllegalArgumentException("part without closing boundary");
      byte[] data = java.util.Arrays.copyOfRange(body, dataStart, end);
      if (name == null) throw new IllegalArgumentException("part without a name");
      parts.add(new Part(name, filename, type, data));
      pos = end + sep.length;
    }
  }

  private static String param(String disposition, String key) {
    // Quoted values may hold ';', so walk the string instead of splitting it.
    int i = 0;
    int n = disposition.length();
    while (i < n) {
      int semi = disposition.indexOf(';', i);
      if (semi < 0) return null;
      i = semi + 1;
      while (i < n && disposition.charAt(i) == ' ') i++;
      int eq = disposition.indexOf('=', i);
      if (eq < 0) return null;
      String k = disposition.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      int v = eq + 1;
      String value;
      if (v < n && disposition.charAt(v) == '"') {
        StringBuilder sb = new StringBuilder();
        int j = v + 1;
        while (j < n && disposition.charAt(j) != '"') {
          if (disposition.charAt(j) == '\\' && j + 1 < n) j++;
          sb.append(disposition.charAt(j++));
        }
        value = sb.toString();
        i = j + 1;
      } else {
        int end = disposition.indexOf(';', v);
        value = disposition.substring(v, end < 0 ? n : end).trim();
        i = end < 0 ? n : end;
      }
      if (k.equals(key)) return value;
    }
    return null;
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      if (hay[i] != needle[0]) continue;
      for (int j = 1; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** Builds a {@code multipart/form-data} body, for the client side of tests. */
  public static final class Builder {
    private static final byte[] CRLF = {'\r', '\n'};
    private final String boundary = "----refrain-sim-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Builder field(String name, String value) {
      head("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
      write(value.getBytes(StandardCharsets.UTF_8));
      write(CRLF);
      return this;
    }

    public Builder file(String name, String filename, String contentType, byte[] data) {
      head("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
          + "Content-Type: " + contentType + "\r\n");
      write(data);
      write(CRLF);
      return this;
    }

    public String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] build() {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      copy.writeBytes(out.toByteArray());
      copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
      return copy.toByteArray();
    }

    private void head(String headers) {
      write(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] b) {
      out.writeBytes(b);
    }
  }
}
