package dev.refrain.mcp;

import static dev.refrain.mcp.ToolCalls.GET_TASK;
import static dev.refrain.mcp.ToolCalls.TXT2AUDIO;
import static dev.refrain.mcp.ToolCalls.call;
import static dev.refrain.mcp.ToolCalls.start;
import static dev.refrain.mcp.ToolCalls.structured;
import static dev.refrain.mcp.ToolCalls.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.audio.AudioDecoder;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `refrain mcp` as a real child process, driven over stdio by the official Java SDK's client, against a real server. */
// Runs once, in the default execution: the stdio bridge speaks HTTP to the server, the same whatever store it has.
@RunsOnce
class McpStdioTest {
  static TestServer ts;
  static String key;
  final List<McpSyncClient> clients = new ArrayList<>();

  @BeforeAll
  static void serve() throws Exception {
    ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate"));
    key = ts.newKey();
    GateEngine.open();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @AfterEach
  void closeClients() {
    GateEngine.open();
    clients.forEach(McpSyncClient::closeGracefully);
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** A client of `refrain mcp` started with {@code env} (and no other REFRAIN_ settings of ours). */
  McpSyncClient client(Map<String, String> env, ToolCalls.Progress progress) {
    ServerParameters params = ServerParameters.builder(java())
        .args("-cp", System.getProperty("java.class.path"), "dev.refrain.Main", "mcp")
        .env(env)
        .build();
    McpSyncClient c = McpClient.sync(new StdioClientTransport(params, McpJsonDefaults.getMapper()))
        .requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60))
        .progressConsumer(progress == null ? n -> {} : progress)
        .build();
    clients.add(c);
    c.initialize();
    return c;
  }

  @Test
  void servesTheToolsOverStdioAgainstTheServerItIsPointedAt() throws Exception {
    ToolCalls.Progress progress = new ToolCalls.Progress();
    McpSyncClient c = client(Map.of("REFRAIN_URL", ts.client.base, "REFRAIN_API_KEY", key), progress);
    assertThat(c.listTools().tools()).extracting(Tool::name).hasSize(5).contains(TXT2AUDIO, GET_TASK);

    GateEngine.close();
    progress.expect(GateEngine.STAGE); // the engine's own stage, carried to the client
    CompletableFuture<CallToolResult> call = start(c, TXT2AUDIO, Map.of("style_prompt", "chill lo-fi", "duration", 10), "stdio-song");
    assertThat(progress.arrived()).as("a progress notification from the running task").isTrue();
    assertThat(call).isNotDone();
    GateEngine.open();

    CallToolResult r = call.get(60, TimeUnit.SECONDS);
    assertThat(r.isError()).as(text(r)).isFalse();
    String url = (String) structured(r).get("audio_url");
    assertThat(text(r)).isEqualTo(url);
    HttpResponse<byte[]> audio = ts.client.download(url, Map.of());
    assertThat(audio.statusCode()).isEqualTo(200);
    assertThat(AudioDecoder.decode(audio.body(), 600).seconds()).isCloseTo(10.0, within(0.05));
    assertThat(progress.seen).extracting(ProgressNotification::progressToken).containsOnly("stdio-song");
    assertThat(progress.seen.get(progress.seen.size() - 1).message()).isEqualTo("completed");

    CallToolResult task = call(c, GET_TASK, Map.of("task_id", structured(r).get("task_id")));
    assertThat(structured(task)).containsEntry("status", "completed");
    CallToolResult bad = call(c, TXT2AUDIO, Map.of("duration", 10));
    assertThat(bad.isError()).isTrue();
    assertThat(text(bad)).isEqualTo("input.style_prompt is required");
  }

  @Test
  void piapisKeyVariableWorksAndAWrongKeyIsAToolError() {
    McpSyncClient piapi = client(Map.of("REFRAIN_URL", ts.client.base, "PIAPI_API_KEY", key), null);
    assertThat(call(piapi, TXT2AUDIO, Map.of("style_prompt", "folk", "duration", 10)).isError()).isFalse();

    McpSyncClient wrong = client(Map.of("REFRAIN_URL", ts.client.base, "REFRAIN_API_KEY", "rk_wrong"), null);
    CallToolResult r = call(wrong, TXT2AUDIO, Map.of("style_prompt", "folk"));
    assertThat(r.isError()).isTrue();
    assertThat(text(r)).isEqualTo("invalid API key");
  }

  @Test
  void withoutAKeyItSaysWhatToSetAndExits() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "dev.refrain.Main", "mcp");
    pb.environment().keySet().removeIf(k -> k.startsWith("REFRAIN_") || k.equals("PIAPI_API_KEY"));
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isEqualTo(2);
    assertThat(out).isEmpty();
    assertThat(err).contains("REFRAIN_API_KEY");
  }
}
