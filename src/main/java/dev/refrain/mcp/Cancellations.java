package dev.refrain.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * `notifications/cancelled` for tool calls. The SDK neither handles that notification nor tells a
 * tool its JSON-RPC request id, so each incoming message passes through {@link #intercept} first: a
 * `tools/call` gets its id written into its `_meta`, where the tool finds it ({@link #open}), and a
 * cancellation is taken out of the stream here and runs the cancel action of the call it names.
 * Calls are keyed by scope (who called: MCP session and API key), so no one cancels another's call.
 */
final class Cancellations {
  /** Where a tool call carries its own request id; set here, whatever the client sent. */
  static final String REQUEST_ID = "dev.refrain/request_id";

  private final Map<String, Call> calls = new ConcurrentHashMap<>();

  /** What becomes of a message: dropped (a cancellation, handled here), passed on as it came, or passed on changed. */
  enum Pass { DROP, AS_IS, CHANGED }

  /** The message to hand on to the SDK, or null when it was a cancellation, handled here. */
  String intercept(String scope, String message) {
    JsonNode m = Json.parseOrNull(message.getBytes(StandardCharsets.UTF_8));
    if (m == null || !m.isObject()) return message; // the SDK answers what is not a message
    return switch (intercept(scope, (ObjectNode) m)) {
      case DROP -> null;
      case AS_IS -> message;
      case CHANGED -> Json.write(m);
    };
  }

  /** The same for a message already parsed: a tools/call gets its id written into its `_meta` here, in place. */
  Pass intercept(String scope, ObjectNode m) {
    String method = m.path("method").asText("");
    if (method.equals("notifications/cancelled")) {
      JsonNode id = m.path("params").path("requestId");
      Call call = id.isMissingNode() ? null : calls.get(scope + " " + id.asText());
      if (call != null) call.cancel();
      return Pass.DROP;
    }
    if (method.equals("tools/call") && m.hasNonNull("id") && m.path("params").isObject()) {
      ObjectNode params = (ObjectNode) m.get("params");
      ObjectNode meta = params.path("_meta").isObject() ? (ObjectNode) params.get("_meta") : params.putObject("_meta");
      meta.put(REQUEST_ID, m.get("id").asText());
      return Pass.CHANGED;
    }
    return Pass.AS_IS;
  }

  /** The running tool call {@code request}, until closed: a cancellation for it runs its cancel action. */
  Call open(String scope, CallToolRequest request) {
    Object id = request.meta() == null ? null : request.meta().get(REQUEST_ID);
    Call call = new Call(id == null ? null : scope + " " + id);
    if (call.key != null) calls.put(call.key, call);
    return call;
  }

  /** One tool call that can be cancelled. */
  final class Call implements AutoCloseable {
    private final String key;
    private Runnable action;
    private boolean cancelled;

    private Call(String key) {
      this.key = key;
    }

    /** What cancelling does; run at once if the cancellation came first. */
    void onCancel(Runnable cancel) {
      boolean now;
      synchronized (this) {
        action = cancel;
        now = cancelled;
      }
      if (now) cancel.run();
    }

    private void cancel() {
      Runnable run;
      synchronized (this) {
        cancelled = true;
        run = action;
      }
      if (run != null) run.run();
    }

    @Override
    public void close() {
      if (key != null) calls.remove(key, this);
    }
  }
}
