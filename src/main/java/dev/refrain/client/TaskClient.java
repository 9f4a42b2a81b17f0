package dev.refrain.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * The task API over HTTP, as PiAPI defines it (so it works against PiAPI itself as well as against
 * a Refrain server). Anything but a successful answer is a {@link TaskApiException}. The key goes
 * only to the API's base URL, never to an audio URL, which may be on another host. Immutable: the
 * {@code with} methods return a changed copy.
 */
public final class TaskClient {
  private static final HttpClient HTTP = http().build();

  /** The most an answer of the API (a task, a page, a refusal) may hold: audio is the big thing, and it streams. */
  private static final long MAX_ANSWER_BYTES = 16 << 20;

  private final HttpClient http;
  private final String base;
  private final String key;
  private final String userAgent;
  private final Duration timeout;

  /** A client of the API at {@code base}, sending {@code key}; {@code userAgent} null for the JDK's. Answers are awaited 60 s. */
  public TaskClient(String base, String key, String userAgent) {
    this(HTTP, base.endsWith("/") ? base.substring(0, base.length() - 1) : base, key, userAgent, Duration.ofSeconds(60));
  }

  private TaskClient(HttpClient http, String base, String key, String userAgent, Duration timeout) {
    this.http = http;
    this.base = base;
    this.key = key;
    this.userAgent = userAgent;
    this.timeout = timeout;
  }

  /** The API's base URL, without a trailing slash. */
  public String base() {
    return base;
  }

  /** The same client over connections {@code http} makes (its connect timeout, its pool). */
  public TaskClient withHttp(HttpClient http) {
    return new TaskClient(http, base, key, userAgent, timeout);
  }

  /** The same client trusting what {@code trust} trusts for HTTPS (a local CA, say) instead of the JDK's authorities. */
  public TaskClient withTrust(SSLContext trust) {
    return withHttp(http().sslContext(trust).build());
  }

  private static HttpClient.Builder http() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL);
  }

  /** The same client awaiting each answer at most {@code timeout}. */
  public TaskClient withTimeout(Duration timeout) {
    return new TaskClient(http, base, key, userAgent, timeout);
  }

  /** POST /api/v1/task: the new task. */
  public JsonNode create(ObjectNode body, String idempotencyKey) {
    HttpRequest.Builder b = request("/api/v1/task").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .header("Content-Type", "application/json");
    if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
    return task(b);
  }

  /** GET /api/v1/task/{id}: the task. */
  public JsonNode get(String id) {
    return task(request("/api/v1/task/" + segment(id)).GET());
  }

  /** DELETE /api/v1/task/{id}: the server's message. */
  public String cancel(String id) {
    return send(request("/api/v1/task/" + segment(id)).DELETE()).path("message").asText();
  }

  /** GET /api/open/tasks/histories: {@code data} with {@code tasks}, {@code total}, {@code page}, {@code page_size}. */
  public JsonNode history(int page, int pageSize) {
    return send(request("/api/open/tasks/histories?page=" + page + "&page_size=" + pageSize).GET()).path("data");
  }

  /** Uploads a file's bytes, under its name, through POST /api/ephemeral_resource; the URL it is served at. */
  public String upload(String fileName, byte[] bytes) {
    ObjectNode body = Json.object()
        .put("file_name", fileName)
        .put("file_data", Base64.getEncoder().encodeToString(bytes));
    HttpRequest.Builder b = request("/api/ephemeral_resource").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .header("Content-Type", "application/json");
    String url = send(b).path("data").path("url").asText("");
    if (url.isEmpty()) throw new TaskApiException("the server accepted the upload of " + fileName + " but gave no URL for it", null);
    return url;
  }

  /**
   * Streams a task's audio at {@code url} into {@code target} through a temporary file beside it,
   * so a failed download leaves nothing behind; the bytes written.
   */
  public long download(String url, Path target) {
    HttpRequest.Builder req = HttpRequest.newBuilder(audioUri(url)).timeout(timeout).GET();
    Path part = target.toAbsolutePath().resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".part");
    try {
      HttpResponse<Path> r = call(req, HttpResponse.BodyHandlers.ofFile(part));
      if (r.statusCode() != 200) throw refusal(r, Files.readAllBytes(part));
      long size = Files.size(part);
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return size;
    } catch (IOException e) {
      throw new TaskApiException("cannot save " + target + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // best effort: it was a temporary file
      }
    }
  }

  /** A task's audio at {@code url}, in memory; an answer over {@code maxBytes} is refused as it arrives. */
  public byte[] fetch(String url, long maxBytes) {
    HttpResponse<InputStream> r = call(HttpRequest.newBuilder(audioUri(url)).timeout(timeout).GET(), HttpResponse.BodyHandlers.ofInputStream());
    byte[] body = read(r, maxBytes);
    if (r.statusCode() != 200) throw refusal(r, body);
    return body;
  }

  /** The body of {@code r}, refused once it passes {@code maxBytes}: a server may send without end. */
  private static byte[] read(HttpResponse<InputStream> r, long maxBytes) {
    long cap = Math.min(maxBytes, Integer.MAX_VALUE - 9L); // an array holds no more
    byte[] body;
    try (InputStream in = r.body()) {
      body = in.readNBytes((int) cap + 1);
    } catch (IOException e) {
      throw new TaskApiException("cannot reach " + origin(r.uri()) + ": " + reason(e), e);
    }
    if (body.length > cap) {
      throw new TaskApiException("the answer from " + origin(r.uri()) + " is larger than " + cap + " bytes",
          new IOException("the answer is larger than " + cap + " bytes"));
    }
    return body;
  }

  /**
   * Starts GET /api/v1/task/{id}/events: lines go to {@code lines} while the answer is 200; any
   * other answer completes the future with its status and body instead.
   */
  CompletableFuture<HttpResponse<byte[]>> events(String id, Flow.Subscriber<String> lines) {
    // No request timeout: a stream is open as long as the task runs; the caller keeps the deadline.
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/task/" + segment(id) + "/events"))
        .header("x-api-key", key).header("Accept", "text/event-stream").GET();
    if (userAgent != null) b.header("User-Agent", userAgent);
    return http.sendAsync(b.build(), info -> info.statusCode() == 200
        ? HttpResponse.BodySubscribers.fromLineSubscriber(lines, s -> null, StandardCharsets.UTF_8, null)
        : HttpResponse.BodySubscribers.ofByteArray());
  }

  /** The answer to {@link #events} within {@code millis}; a refusal or a failed connection is a {@link TaskApiException}. */
  HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> answer, long millis) throws TimeoutException, InterruptedException {
    HttpResponse<byte[]> r;
    try {
      r = answer.get(millis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw new TaskApiException("cannot reach " + base + ": " + (c instanceof ConnectException ? "connection refused" : reason(c)), c);
    }
    if (r.statusCode() != 200 && r.statusCode() != 404) throw refusal(r, r.body());
    return r;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("x-api-key", key)
        .header("Accept", "application/json");
    return userAgent == null ? b : b.header("User-Agent", userAgent);
  }

  /** The {@code data} of a successful answer that carries a task (or a refusal in a 2xx envelope, as PiAPI may send). */
  private JsonNode task(HttpRequest.Builder b) {
    HttpResponse<InputStream> r = call(b, HttpResponse.BodyHandlers.ofInputStream());
    byte[] bytes = read(r, MAX_ANSWER_BYTES);
    JsonNode envelope = envelope(r, bytes);
    if (envelope.path("code").asInt(r.statusCode()) != 200 || !envelope.path("data").isObject()) throw refusal(r, bytes);
    return envelope.get("data");
  }

  /** Sends and returns the envelope of a 2xx answer. */
  private JsonNode send(HttpRequest.Builder b) {
    HttpResponse<InputStream> r = call(b, HttpResponse.BodyHandlers.ofInputStream());
    return envelope(r, read(r, MAX_ANSWER_BYTES));
  }

  private JsonNode envelope(HttpResponse<?> r, byte[] bytes) {
    if (r.statusCode() / 100 != 2) throw refusal(r, bytes);
    JsonNode body = Json.parseOrNull(bytes);
    if (body == null || !body.isObject()) {
      throw new TaskApiException(r.statusCode(), bytes, null, "the server at " + base + " did not answer with JSON (HTTP " + r.statusCode() + ")");
    }
    return body;
  }

  private <T> HttpResponse<T> call(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
    HttpRequest req = b.build();
    try {
      return http.send(req, handler);
    } catch (HttpTimeoutException e) {
      throw new TaskApiException("no answer from " + origin(req.uri()) + " within " + timeout.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw new TaskApiException("cannot reach " + origin(req.uri()) + ": connection refused", e);
    } catch (IOException e) {
      throw new TaskApiException("cannot reach " + origin(req.uri()) + ": " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskApiException("interrupted", e);
    }
  }

  /** A refusal, with the server's message from the JSON envelope, or the status alone when there is none. */
  private static TaskApiException refusal(HttpResponse<?> r, byte[] body) {
    JsonNode json = Json.parseOrNull(body);
    String message = json == null ? "" : json.path("message").asText("");
    return new TaskApiException(r.statusCode(), body, r.headers().firstValue("Retry-After").orElse(null),
        "HTTP " + r.statusCode() + (message.isBlank() ? "" : ": " + message));
  }

  private static URI audioUri(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || !uri.isAbsolute() || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new TaskApiException("the task's audio_url is not an http(s) URL: '" + url + "'", null);
    }
    return uri;
  }

  private static String reason(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
