package dev.refrain.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.client.TaskApiException;
import dev.refrain.client.TaskClient;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import java.util.Optional;

/**
 * The task API of a Refrain server, or of PiAPI itself, over HTTP with an API key: the calls a PiAPI
 * client makes, so it works against either. What the server refuses is thrown with its status and
 * message; a server out of reach, or one that answers without a JSON envelope, is a 502.
 */
final class HttpTaskApi implements TaskApi {
  private final TaskClient client;

  HttpTaskApi(TaskClient client) {
    this.client = client;
  }

  @Override
  public JsonNode create(ObjectNode body) {
    try {
      return client.create(body, null);
    } catch (TaskApiException e) {
      throw refusal(e);
    }
  }

  @Override
  public Optional<JsonNode> get(String taskId) {
    try {
      return Optional.of(client.get(taskId));
    } catch (TaskApiException e) {
      if (e.status() == 404 && envelope(e) != null) return Optional.empty();
      throw refusal(e);
    }
  }

  /** A refusal in an envelope (the task has ended, or is unknown) leaves nothing to cancel. */
  @Override
  public void cancel(String taskId) {
    try {
      client.cancel(taskId);
    } catch (TaskApiException e) {
      if (e.status() == 0 || envelope(e) == null) throw refusal(e);
    }
  }

  private ApiError refusal(TaskApiException e) {
    if (e.getCause() instanceof InterruptedException) return new ApiError(503, "interrupted while calling " + client.base());
    if (e.status() == 0) return new ApiError(502, "cannot reach the task API at " + client.base() + ": " + e.getCause());
    JsonNode envelope = envelope(e);
    if (envelope == null) return new ApiError(502, client.base() + " answered HTTP " + e.status() + " without a JSON envelope");
    String message = envelope.path("message").asText("");
    return new ApiError(e.status() / 100 == 2 ? 502 : e.status(), message.isBlank() ? "HTTP " + e.status() : message);
  }

  private static JsonNode envelope(TaskApiException e) {
    JsonNode body = Json.parseOrNull(e.body());
    return body != null && body.isObject() ? body : null;
  }
}
