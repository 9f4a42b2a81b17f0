package dev.refrain.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The task API of a Refrain server, or of PiAPI itself, over HTTP with an API key: the calls a PiAPI
 * client makes, so it works against either.
 */
final class HttpTaskApi implements TaskApi {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final String base;
  private final String apiKey;

  HttpTaskApi(String base, String apiKey) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.apiKey = apiKey;
  }

  @Override
  public JsonNode create(ObjectNode body) {
    return data(send(HttpRequest.newBuilder(uri("/api/v1/task"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))));
  }

  @Override
  public Optional<JsonNode> get(String taskId) {
    Answer a = send(HttpRequest.newBuilder(uri("/api/v1/task/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8))).GET());
    return a.status == 404 ? Optional.empty() : Optional.of(data(a));
  }

  @Override
  public void cancel(String taskId) {
    send(HttpRequest.newBuilder(uri("/api/v1/task/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8))).DELETE());
  }

  private record Answer(int status, JsonNode body) {}

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Answer send(HttpRequest.Builder request) {
    HttpRequest r = request.header("x-api-key", apiKey).header("Accept", "application/json")
        .timeout(Duration.ofSeconds(60)).build();
    try {
      HttpResponse<byte[]> response = HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
      JsonNode body = Json.parseOrNull(response.body());
      if (body == null || !body.isObject()) {
        throw new ApiError(502, base + " answered HTTP " + response.statusCode() + " without a JSON envelope");
      }
      return new Answer(response.statusCode(), body);
    } catch (IOException e) {
      throw new ApiError(502, "cannot reach the task API at " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "interrupted while calling " + base);
    }
  }

  /** The envelope's `data` on success; its status and message as a refusal otherwise. */
  private static JsonNode data(Answer a) {
    if (a.status / 100 == 2 && a.body.path("code").asInt(a.status) == 200 && a.body.path("data").isObject()) {
      return a.body.get("data");
    }
    String message = a.body.path("message").asText("");
    throw new ApiError(a.status / 100 == 2 ? 502 : a.status, message.isBlank() ? "HTTP " + a.status : message);
  }
}
