package dev.refrain.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * A client written for PiAPI, as the ones that exist behave (PiAPI's own MCP server, the SDKs its
 * users write): it knows nothing of Refrain. It sends the key as {@code X-API-Key}, creates a task,
 * polls it treating every status but completed and failed as "not yet", reads
 * {@code data.output.audio_url}, {@code data.meta.usage.consume} and {@code data.error.message},
 * and keeps only {@code https:} media URLs: audio over plain HTTP is refused as unsafe.
 */
final class PiapiStyleClient {
  /** What the user of such a client gets back. */
  record Result(String taskId, String status, String audioUrl, long consume, String errorMessage, byte[] audio) {}

  /** The client gave up on a task's result, with the reason it would show its user. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final HttpClient http;
  private final String base;
  private final String key;

  /** @param base as a user would configure it, e.g. {@code https://api.piapi.ai} */
  PiapiStyleClient(String base, String key, SSLContext trust) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.key = key;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER);
    if (trust != null) b.sslContext(trust);
    this.http = b.build();
  }

  /** Creates the task, polls it to its end, and downloads its audio when it completed. */
  Result run(JsonNode body, Duration timeout) throws IOException, InterruptedException, Refused {
    JsonNode created = call(HttpRequest.newBuilder(URI.create(base + "/api/v1/task"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    if (created.path("code").asInt() != 200) throw new Refused("create failed: " + created.path("message").asText());
    String id = created.path("data").path("task_id").asText();
    if (id.isEmpty()) throw new Refused("create answered no data.task_id");
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode task = call(HttpRequest.newBuilder(URI.create(base + "/api/v1/task/" + id)).GET()).path("data");
      String status = task.path("status").asText().toLowerCase(Locale.ROOT);
      long consume = task.path("meta").path("usage").path("consume").asLong();
      if (status.equals("failed")) return new Result(id, status, null, consume, task.path("error").path("message").asText(), null);
      if (status.equals("completed")) {
        String url = task.path("output").path("audio_url").asText("");
        if (!url.startsWith("https://")) throw new Refused("refusing a media URL that is not https: '" + url + "'");
        return new Result(id, status, url, consume, task.path("error").path("message").asText(), download(url));
      }
      if (System.nanoTime() > end) throw new Refused("task " + id + " still " + status + " after " + timeout);
      Thread.sleep(100);
    }
  }

  private JsonNode call(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(request.header("X-API-Key", key).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    JsonNode json = Json.parseOrNull(r.body());
    if (json == null) throw new IOException("HTTP " + r.statusCode() + " with no JSON body");
    return json;
  }

  private byte[] download(String url) throws IOException, InterruptedException, Refused {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) throw new Refused("the audio answered HTTP " + r.statusCode());
    return r.body();
  }
}
