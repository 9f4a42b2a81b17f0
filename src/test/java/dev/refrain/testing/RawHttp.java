package dev.refrain.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One HTTP/1.1 connection over a plain socket, for requests no well-behaved client would send:
 * half a request, a body that never ends, a chunk size that is not a number.
 */
public final class RawHttp implements AutoCloseable {
  /** What came back: the status (0 when none did), the body as JSON (null when it is not). */
  public record Answer(int status, String head, JsonNode body) {
    public String message() {
      return body == null ? null : body.path("message").asText();
    }
  }

  private final Socket socket;

  public RawHttp(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code text} as it is (CRLFs and all); false when the server has already closed the connection. */
  public boolean send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public boolean send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /** Request headers for {@code path} ending in a blank line, with {@code headers} (each "Name: value"). */
  public static String head(String method, String path, String... headers) {
    StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    for (String h : headers) b.append(h).append("\r\n");
    return b.append("\r\n").toString();
  }

  /** One chunk of a chunked body. */
  public static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }

  /** The answer to what was sent, waiting at most {@code within}: a status of 0 when none came. */
  public Answer answer(Duration within) {
    byte[] got = read(within, true);
    String text = new String(got, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) return new Answer(0, text, null);
    String head = text.substring(0, end);
    byte[] body = Arrays.copyOfRange(got, end + 4, got.length);
    return new Answer(Integer.parseInt(head.substring(9, 12)), head, Json.parseOrNull(body));
  }

  /**
   * How long until the server closed the connection, reading (and dropping) whatever it sends; fails
   * the test when it stays open past {@code atMost}.
   */
  public Duration closedWithin(Duration atMost) {
    long start = System.nanoTime();
    read(atMost.plusSeconds(1), false);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (took.compareTo(atMost) > 0) throw new AssertionError("the connection was still open after " + atMost);
    return took;
  }

  /** Whether the connection is still open after {@code wait}, reading (and dropping) whatever the server sends meanwhile. */
  public boolean openAfter(Duration wait) {
    long start = System.nanoTime();
    read(wait, false);
    return System.nanoTime() - start >= wait.toNanos();
  }

  /**
   * What the server sends until it closes the connection or {@code within} passes, or, with
   * {@code oneAnswer}, until a whole answer came.
   */
  private byte[] read(Duration within, boolean oneAnswer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + within.toNanos();
    byte[] buf = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) break;
        // Rounded up: rounded down, a read could give up just before the deadline, and openAfter say closed.
        socket.setSoTimeout((int) Math.max(1, (left + 999_999) / 1_000_000));
        int n = in.read(buf);
        if (n < 0) break;
        out.write(buf, 0, n);
        if (oneAnswer && complete(out.toByteArray())) break;
      }
    } catch (SocketTimeoutException stillOpen) {
      // what came so far is the answer
    } catch (IOException reset) {
      // a reset after the answer: what came is still the answer
    }
    return out.toByteArray();
  }

  /** A whole response with a Content-Length: no need to wait for the server to close. */
  private static boolean complete(byte[] got) {
    String text = new String(got, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) return false;
    for (String line : text.substring(0, end).split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return got.length - end - 4 >= Long.parseLong(line.substring(15).trim());
      }
    }
    return false;
  }

  /** Closes the connection at once with a reset, the way a client that crashed or was killed goes away. */
  public void abort() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that was asked
    }
  }
}
