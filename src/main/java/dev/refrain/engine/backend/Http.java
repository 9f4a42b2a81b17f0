package dev.refrain.engine.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** HTTP plumbing shared by the backend clients: deadlines, size caps, errors sorted into busy and failed. */
final class Http {
  /** Audio answers larger than this are refused: 600 s of 48 kHz stereo WAV is about 115 MB. */
  static final long MAX_AUDIO_BYTES = 256L << 20;
  static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NORMAL)
      .build();

  private Http() {}

  record Reply(int status, byte[] body, HttpResponse<?> raw) {
    JsonNode json() throws BackendException.Failed {
      JsonNode n = Json.parseOrNull(body);
      if (n == null) throw new BackendException.Failed("answered HTTP " + status + " with a body that is not JSON");
      return n;
    }

    String text() {
      return Http.text(body);
    }
  }

  /** The start of a body, for a message. */
  static String text(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? "(no body)" : s;
  }

  /** The longest a short control request (submit, poll) may take: a backend that hangs on one is failed sooner than the job's deadline. */
  static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(30);

  /** A control request: bounded by {@link #CONTROL_TIMEOUT} as well as the deadline. */
  static Reply control(HttpRequest.Builder req, Instant deadline, String what) throws BackendException.Failed, InterruptedException {
    return send(req, controlDeadline(deadline), what);
  }

  /** When a control request must have its answer: {@link #CONTROL_TIMEOUT} from now, or the job's deadline if sooner. */
  static Instant controlDeadline(Instant deadline) {
    Instant soon = Instant.now().plus(CONTROL_TIMEOUT);
    return soon.isBefore(deadline) ? soon : deadline;
  }

  /** Sends with the time left to the deadline; connection problems and timeouts are backend failures. */
  static Reply send(HttpRequest.Builder req, Instant deadline, String what) throws BackendException.Failed, InterruptedException {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) throw new BackendException.Failed("deadline passed before " + what);
    try {
      HttpResponse<InputStream> r = CLIENT.send(req.timeout(left).build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        return new Reply(r.statusCode(), readCapped(in, what), r);
      }
    } catch (HttpTimeoutException e) {
      throw new BackendException.Failed("no answer to " + what + " before the deadline");
    } catch (IOException e) {
      throw new BackendException.Failed("connection failed during " + what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  private static byte[] readCapped(InputStream in, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
      if (total > MAX_AUDIO_BYTES) throw new IOException("answer to " + what + " is larger than " + MAX_AUDIO_BYTES + " bytes");
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /** 429, and 503 with Retry-After, mean "full, come back later". */
  static void throwIfBusy(Reply r, String what) throws BackendException.Busy {
    if (r.status() == 429 || (r.status() == 503 && r.raw().headers().firstValue("Retry-After").isPresent())) {
      throw new BackendException.Busy(what + " answered HTTP " + r.status() + " (busy)", retryAfter(r));
    }
  }

  static Duration retryAfter(Reply r) {
    return retryAfter(r.raw().headers().firstValue("Retry-After").orElse(""));
  }

  /** A Retry-After header's seconds, kept within 1 s and 5 min; 2 s when it is not a number. */
  static Duration retryAfter(String v) {
    try {
      return Duration.ofSeconds(Math.max(1, Math.min(300, Long.parseLong(v.trim()))));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(2);
    }
  }

  /** 5xx (and anything unexpected) is the backend's failure; other 4xx means it refused this request. */
  static BackendException classify(Reply r, String what) {
    return classify(r.status(), r.text(), what);
  }

  static BackendException classify(int status, String text, String what) {
    if (status >= 400 && status < 500) return new BackendException.Refused(what + " was refused: HTTP " + status + " " + text);
    return new BackendException.Failed(what + " failed: HTTP " + status + " " + text);
  }

  static URI uri(String base, String path) {
    return URI.create(base + path);
  }

  /** A multipart/form-data body, built in memory (audio parts are bounded by the input limits). */
  static final class Multipart {
    private final String boundary = "refrain-" + UUID.randomUUID();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Multipart field(String name, String value) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
      return this;
    }

    Multipart json(String name, String json) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: application/json\r\n\r\n"
          + json + "\r\n");
      return this;
    }

    Multipart file(String name, String fileName, String contentType, byte[] data) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
          + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
      body.writeBytes(data);
      write("\r\n");
      return this;
    }

    HttpRequest.BodyPublisher publisher() {
      write("--" + boundary + "--\r\n");
      return HttpRequest.BodyPublishers.ofByteArray(body.toByteArray());
    }

    String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }

    private void write(String s) {
      body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }
}
