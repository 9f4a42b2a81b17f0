package dev.refrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The task API over HTTP, as PiAPI defines it (so it works against PiAPI itself too). Every
 * refusal becomes a {@link CliError#server} carrying the server's own message. The key goes only
 * to the API's base URL, never to an audio URL, which may be on another host.
 */
final class TaskClient {
  static final String MODEL = "Qubico/ace-step";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final String USER_AGENT = "refrain-cli";

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL)
      .build();
  private final String base;
  private final String key;

  TaskClient(String base, String key) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.key = key;
  }

  /** POST /api/v1/task: the new task. */
  JsonNode create(ObjectNode body, String idempotencyKey) {
    HttpRequest.Builder b = request("/api/v1/task").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .header("Content-Type", "application/json");
    if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
    return send(b).path("data");
  }

  JsonNode get(String id) {
    return send(request("/api/v1/task/" + segment(id)).GET()).path("data");
  }

  /** Cancels the task; the server's message. */
  String cancel(String id) {
    return send(request("/api/v1/task/" + segment(id)).DELETE()).path("message").asText();
  }

  /** GET /api/open/tasks/histories: {@code data} with {@code tasks}, {@code total}, {@code page}, {@code page_size}. */
  JsonNode history(int page, int pageSize) {
    return send(request("/api/open/tasks/histories?page=" + page + "&page_size=" + pageSize).GET()).path("data");
  }

  /** Uploads a local file through POST /api/ephemeral_resource; the URL it is served at. */
  String upload(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw CliError.usage("cannot read " + file + ": " + e.getMessage());
    }
    ObjectNode body = Json.object()
        .put("file_name", file.getFileName().toString())
        .put("file_data", Base64.getEncoder().encodeToString(bytes));
    HttpRequest.Builder b = request("/api/ephemeral_resource").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .header("Content-Type", "application/json");
    String url = send(b).path("data").path("url").asText("");
    if (url.isEmpty()) throw CliError.server("the server accepted the upload of " + file + " but gave no URL for it");
    return url;
  }

  /**
   * Starts GET /api/v1/task/{id}/events: lines go to {@code stream} while the answer is 200; any
   * other answer completes the future with its status and body instead.
   */
  CompletableFuture<HttpResponse<byte[]>> events(String id, EventStream stream) {
    // No request timeout: a stream is open as long as the task runs; the caller keeps the deadline.
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/task/" + segment(id) + "/events"))
        .header("x-api-key", key).header("User-Agent", USER_AGENT).header("Accept", "text/event-stream").GET().build();
    return http.sendAsync(req, info -> info.statusCode() == 200
        ? HttpResponse.BodySubscribers.fromLineSubscriber(stream, s -> null, StandardCharsets.UTF_8, null)
        : HttpResponse.BodySubscribers.ofByteArray());
  }

  /** The outcome of {@link #events}: null when the stream was served, else the refusal. */
  static CliError refusal(HttpResponse<byte[]> r) {
    return r.statusCode() == 200 ? null : error(r.statusCode(), r.body());
  }

  /**
   * Streams {@code url} into {@code target} through a temporary file beside it, so a failed
   * download leaves nothing behind; the bytes written.
   */
  long download(String url, Path target) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || !uri.isAbsolute() || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw CliError.server("the task's audio_url is not an http(s) URL: '" + url + "'");
    }
    Path part = target.toAbsolutePath().resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".part");
    try {
      HttpResponse<Path> r = call(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET(),
          HttpResponse.BodyHandlers.ofFile(part));
      if (r.statusCode() != 200) throw error(r.statusCode(), Files.readAllBytes(part));
      long size = Files.size(part);
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return size;
    } catch (IOException e) {
      throw CliError.server("cannot save " + target + ": " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // best effort: it was a temporary file
      }
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(REQUEST_TIMEOUT)
        .header("x-api-key", key)
        .header("User-Agent", USER_AGENT);
  }

  /** Sends and returns the envelope of a 2xx answer; anything else is a {@link CliError#server}. */
  private JsonNode send(HttpRequest.Builder b) {
    HttpResponse<byte[]> r = call(b, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() / 100 != 2) throw error(r.statusCode(), r.body());
    JsonNode body = Json.parseOrNull(r.body());
    if (body == null || !body.isObject()) throw CliError.server("the server at " + base + " did not answer with JSON (HTTP " + r.statusCode() + ")");
    return body;
  }

  private <T> HttpResponse<T> call(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
    HttpRequest req = b.build();
    try {
      return http.send(req, handler);
    } catch (HttpTimeoutException e) {
      throw CliError.server("no answer from " + origin(req.uri()) + " within " + REQUEST_TIMEOUT.toSeconds() + " s");
    } catch (ConnectException e) {
      throw CliError.server("cannot reach " + origin(req.uri()) + ": connection refused");
    } catch (IOException e) {
      throw CliError.server("cannot reach " + origin(req.uri()) + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliError.server("interrupted");
    }
  }

  /** Waits for an asynchronous answer such as {@link #events}; a connection failure is a {@link CliError#server}. */
  <T> T await(CompletableFuture<T> f, long millis) throws TimeoutException {
    try {
      return f.get(millis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof CliError ce) throw ce;
      String why = c instanceof ConnectException ? "connection refused" : c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
      throw CliError.server("cannot reach " + base + ": " + why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliError.server("interrupted");
    }
  }

  /** A refusal with the server's message from the JSON envelope, or the status alone when there is none. */
  private static CliError error(int status, byte[] body) {
    JsonNode json = Json.parseOrNull(body);
    String message = json == null ? "" : json.path("message").asText("");
    return CliError.server("HTTP " + status + (message.isBlank() ? "" : ": " + message));
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
