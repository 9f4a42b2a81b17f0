package dev.refrain.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A small HTTP client for tests: real requests over loopback, answers parsed as JSON. */
public final class Api {
  public record Reply(int status, JsonNode body, HttpResponse<byte[]> raw) {
    public JsonNode data() {
      return body.path("data");
    }

    public String message() {
      return body.path("message").asText();
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  public final String base;

  public Api(String base) {
    this.base = base;
  }

  public Reply send(String method, String path, String key, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("x-api-key", key);
    if (body != null && !headers.containsKey("Content-Type")) b.header("Content-Type", "application/json");
    // The JDK sets Expect itself: asked for, it waits for the server's go (or refusal) before the body.
    headers.forEach((k, v) -> {
      if (k.equalsIgnoreCase("Expect")) b.expectContinue(v.equalsIgnoreCase("100-continue"));
      else b.header(k, v);
    });
    try {
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = Json.parseOrNull(r.body());
      return new Reply(r.statusCode(), json, r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Reply get(String path, String key) {
    return send("GET", path, key, null, Map.of());
  }

  public Reply post(String path, String key, Object body) {
    return send("POST", path, key, body instanceof String s ? s : Json.write(body), Map.of());
  }

  public Reply delete(String path, String key) {
    return send("DELETE", path, key, null, Map.of());
  }

  public HttpResponse<byte[]> download(String url, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls a task until it is completed or failed, or fails the test after {@code timeout}. */
  public JsonNode await(String taskId, String key, Duration timeout) {
    return awaitStatus(taskId, key, Set.of("completed", "failed"), timeout);
  }

  /** Polls a task until its status is one of {@code wanted}, or fails the test after {@code timeout}. */
  public JsonNode awaitStatus(String taskId, String key, Set<String> wanted, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      Reply r = get("/api/v1/task/" + taskId, key);
      String status = r.data().path("status").asText();
      if (wanted.contains(status)) return r.data();
      if (System.nanoTime() > end) throw new AssertionError("task " + taskId + " still " + status + " after " + timeout + ": " + r.body());
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
