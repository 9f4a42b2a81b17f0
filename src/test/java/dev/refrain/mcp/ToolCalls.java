package dev.refrain.mcp;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Calling the tools from a real MCP client, and reading what comes back. */
final class ToolCalls {
  static final String TXT2AUDIO = "piapi_qubico_ace_step_txt2audio";
  static final String AUDIO2AUDIO = "piapi_qubico_ace_step_audio2audio";
  static final String EDIT = "piapi_qubico_ace_step_edit";
  static final String EXTEND = "piapi_qubico_ace_step_extend";
  static final String GET_TASK = "piapi_get_task";

  private ToolCalls() {}

  static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(CallToolRequest.builder().name(tool).arguments(args).build());
  }

  /**
   * The call on a thread of its own, asking for progress under {@code token}. (Not the common pool: on
   * a small machine it has one thread, which the blocked call would hold from the client's own work.)
   */
  static CompletableFuture<CallToolResult> start(McpSyncClient client, String tool, Map<String, Object> args, String token) {
    return CompletableFuture.supplyAsync(() ->
        client.callTool(CallToolRequest.builder().name(tool).arguments(args).progressToken(token).build()),
        r -> Thread.ofVirtual().start(r));
  }

  static String text(CallToolResult r) {
    return ((TextContent) r.content().get(0)).text();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> structured(CallToolResult r) {
    return (Map<String, Object>) r.structuredContent();
  }

  /** Every progress notification a client receives, and a wait for one with a given message. */
  static final class Progress implements Consumer<ProgressNotification> {
    final List<ProgressNotification> seen = new CopyOnWriteArrayList<>();
    private volatile String awaited;
    private volatile CountDownLatch arrived = new CountDownLatch(1);

    @Override
    public void accept(ProgressNotification n) {
      seen.add(n);
      if (n.message() != null && n.message().equals(awaited)) arrived.countDown();
    }

    void expect(String message) {
      arrived = new CountDownLatch(1);
      awaited = message;
      if (seen.stream().anyMatch(n -> message.equals(n.message()))) arrived.countDown();
    }

    boolean arrived() throws InterruptedException {
      return arrived.await(30, TimeUnit.SECONDS);
    }
  }
}
