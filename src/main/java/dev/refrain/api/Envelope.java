package dev.refrain.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/** The `{code, data, message}` envelope every answer wears (../shared/spec/api.md, "Conventions"). */
public final class Envelope {
  private Envelope() {}

  public static ObjectNode ok(JsonNode data) {
    return of(200, data, "success");
  }

  /** Success with a top-level `timestamp`, as task create and get carry. */
  public static ObjectNode okWithTimestamp(JsonNode data) {
    ObjectNode o = ok(data);
    o.put("timestamp", System.currentTimeMillis() / 1000);
    return o;
  }

  /** The same, around task JSON already rendered (the finished-task cache keeps bytes, not trees). */
  public static byte[] okWithTimestamp(byte[] data) {
    byte[] head = "{\"code\":200,\"data\":".getBytes(StandardCharsets.US_ASCII);
    byte[] tail = (",\"message\":\"success\",\"timestamp\":" + System.currentTimeMillis() / 1000 + "}").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + data.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(data, 0, out, head.length, data.length);
    System.arraycopy(tail, 0, out, head.length + data.length, tail.length);
    return out;
  }

  public static ObjectNode error(int code, String message) {
    return of(code, null, message);
  }

  public static ObjectNode of(int code, JsonNode data, String message) {
    ObjectNode o = Json.object();
    o.put("code", code);
    if (data == null) o.putNull("data");
    else o.set("data", data);
    o.put("message", message);
    return o;
  }

  /** {@code body} as the answer, with {@code status}. */
  public static void send(Context ctx, int status, ObjectNode body) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(Json.bytes(body));
  }
}
