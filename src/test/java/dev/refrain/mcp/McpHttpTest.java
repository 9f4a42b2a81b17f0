package dev.refrain.mcp;

import static dev.refrain.mcp.ToolCalls.AUDIO2AUDIO;
import static dev.refrain.mcp.ToolCalls.EDIT;
import static dev.refrain.mcp.ToolCalls.EXTEND;
import static dev.refrain.mcp.ToolCalls.GET_TASK;
import static dev.refrain.mcp.ToolCalls.TXT2AUDIO;
import static dev.refrain.mcp.ToolCalls.call;
import static dev.refrain.mcp.ToolCalls.start;
import static dev.refrain.mcp.ToolCalls.structured;
import static dev.refrain.mcp.ToolCalls.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.TestAudio;
import dev.refrain.core.Json;
import dev.refrain.testing.Api;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.TestServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MCP over Streamable HTTP at /mcp, with the official Java SDK's client, against a real server. */
class McpHttpTest {
  static TestServer ts;
  static Api api;
  static String key;
  final List<McpSyncClient> clients = new ArrayList<>();

  @BeforeAll
  static void serve() throws Exception {
    ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate"));
    api = ts.client;
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

  /** A connected client sending {@code header}; {@code tap} sees each request body it sends. */
  McpSyncClient client(String header, String value, ToolCalls.Progress progress, AtomicReference<HttpClientStreamableHttpTransport> transport,
      java.util.function.Consumer<String> tap) {
    HttpClientStreamableHttpTransport t = HttpClientStreamableHttpTransport.builder(api.base)
        .endpoint("/mcp")
        .httpRequestCustomizer((builder, method, uri, body, context) -> {
          builder.header(header, value);
          if (body != null) tap.accept(body);
        })
        .build();
    if (transport != null) transport.set(t);
    McpSyncClient c = McpClient.sync(t)
        .requestTimeout(Duration.ofSeconds(60))
        .progressConsumer(progress == null ? n -> {} : progress)
        .build();
    clients.add(c);
    c.initialize();
    return c;
  }

  McpSyncClient client(String key) {
    return client("x-api-key", key, null, null, body -> {});
  }

  @Test
  void listsTheFiveToolsUnderPiapisNamesWithTheirInputs() {
    List<Tool> tools = client(key).listTools().tools();
    assertThat(tools).extracting(Tool::name).containsExactlyInAnyOrder(TXT2AUDIO, AUDIO2AUDIO, EDIT, EXTEND, GET_TASK);
    Map<String, Tool> byName = new java.util.HashMap<>();
    tools.forEach(t -> byName.put(t.name(), t));

    assertThat(properties(byName.get(TXT2AUDIO)))
        .containsOnlyKeys("style_prompt", "lyrics", "duration", "negative_prompt", "style_audio", "seed", "infer_step",
            "guidance_scale", "output_format");
    assertThat(required(byName.get(TXT2AUDIO))).containsExactly("style_prompt");
    assertThat(required(byName.get(AUDIO2AUDIO))).containsExactlyInAnyOrder("style_audio", "style_prompt");
    assertThat(required(byName.get(EDIT))).containsExactlyInAnyOrder("audio", "style_prompt", "edit_style_prompt");
    assertThat(properties(byName.get(EDIT))).containsKeys("lyrics", "edit_lyrics");
    assertThat(required(byName.get(EXTEND))).containsExactlyInAnyOrder("audio", "style_prompt");
    assertThat(properties(byName.get(EXTEND))).containsKeys("left_extend_duration", "right_extend_duration");
    assertThat(required(byName.get(GET_TASK))).containsExactly("task_id");
    for (Tool t : tools) {
      assertThat(t.description()).as(t.name()).isNotBlank();
      properties(t).forEach((name, schema) ->
          assertThat(((Map<?, ?>) schema).get("description")).as(t.name() + "." + name).asString().isNotBlank());
    }
    assertThat(byName.get(TXT2AUDIO).outputSchema()).containsKey("properties");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Tool t) {
    return (Map<String, Object>) t.inputSchema().get("properties");
  }

  @SuppressWarnings("unchecked")
  static List<String> required(Tool t) {
    return (List<String>) t.inputSchema().get("required");
  }

  @Test
  @SuppressWarnings("unchecked")
  void txt2audioReportsProgressWhileItRunsAndReturnsPlayableAudio() throws Exception {
    ToolCalls.Progress progress = new ToolCalls.Progress();
    McpSyncClient c = client("x-api-key", key, progress, null, body -> {});
    GateEngine.close();
    progress.expect(GateEngine.STAGE); // the engine's own stage, carried to the client
    CompletableFuture<CallToolResult> call = start(c, TXT2AUDIO, Map.of("style_prompt", "upbeat pop, piano", "duration", 12), "song-1");
    assertThat(progress.arrived()).as("a progress notification from the running task").isTrue();
    assertThat(call).isNotDone();

    // While it waits at the gate, the get-task tool sees it running.
    String id = api.get("/api/open/tasks/histories?page=1&page_size=1", key).data().path("tasks").get(0).path("task_id").asText();
    CallToolResult running = call(c, GET_TASK, Map.of("task_id", id));
    assertThat(running.isError()).isFalse();
    Map<String, Object> task = structured(running);
    assertThat(task).containsEntry("status", "processing").containsEntry("output", null);
    assertThat((Map<String, Object>) task.get("meta")).containsKeys("progress", "stage");

    GateEngine.open();
    CallToolResult r = call.get(60, TimeUnit.SECONDS);
    assertThat(r.isError()).as(text(r)).isFalse();
    Map<String, Object> result = structured(r);
    assertThat(result).containsEntry("task_id", id).containsEntry("status", "completed").containsEntry("duration", 12.0);
    String url = (String) result.get("audio_url");
    assertThat(url).startsWith(ts.server.baseUrl() + "/files/outputs/");
    assertThat(text(r)).isEqualTo(url);
    HttpResponse<byte[]> audio = api.download(url, Map.of());
    assertThat(audio.statusCode()).isEqualTo(200);
    assertThat(AudioDecoder.decode(audio.body(), 600).seconds()).isCloseTo(12.0, within(0.05));

    assertThat(progress.seen).allSatisfy(n -> {
      assertThat(n.progressToken()).isEqualTo("song-1");
      assertThat(n.total()).isEqualTo(1.0);
    });
    assertThat(progress.seen).extracting(ProgressNotification::progress).isSorted();
    // Sent in order, but the SDK's client may hand two notifications of one instant to the consumer swapped.
    assertThat(progress.seen).filteredOn(n -> n.progress() == 0.0).extracting(ProgressNotification::message).contains("pending");
    ProgressNotification last = progress.seen.get(progress.seen.size() - 1);
    assertThat(last.progress()).isEqualTo(1.0);
    assertThat(last.message()).isEqualTo("completed");

    CallToolResult done = call(c, GET_TASK, Map.of("task_id", id));
    Map<String, Object> output = (Map<String, Object>) structured(done).get("output");
    assertThat(output).containsEntry("audio_url", url);
  }

  @Test
  @SuppressWarnings("unchecked")
  void audioInputsMayBeAnUploadADataUriOrBase64() throws Exception {
    McpSyncClient c = client(key);
    AudioClip source = TestAudio.tone(10.0, 44100, 2, 330);
    byte[] wav = TestAudio.encoded("wav", source);
    String b64 = Base64.getEncoder().encodeToString(wav);
    String upload = api.post("/api/ephemeral_resource", key, Map.of("file_name", "take.wav", "file_data", b64)).data().path("url").asText();

    CallToolResult a2a = call(c, AUDIO2AUDIO, Map.of("style_audio", upload, "style_prompt", "lofi hip hop, mellow"));
    assertThat(a2a.isError()).as(text(a2a)).isFalse();
    assertThat(inputOf(a2a).path("style_audio").asText()).isEqualTo(upload);
    assertThat((Double) structured(a2a).get("duration")).isCloseTo(10.0, within(0.05));

    CallToolResult edit = call(c, EDIT, Map.of("audio", "data:audio/wav;base64," + b64, "style_prompt", "sine",
        "edit_style_prompt", "guitar and piano, pop", "edit_lyrics", "[inst]"));
    assertThat(edit.isError()).as(text(edit)).isFalse();
    assertThat(inputOf(edit).path("audio").asText()).startsWith(ts.server.baseUrl() + "/files/inputs/");
    assertThat(inputOf(edit).path("edit_style_prompt").asText()).isEqualTo("guitar and piano, pop");
    assertThat(api.download((String) structured(edit).get("audio_url"), Map.of()).statusCode()).isEqualTo(200);

    CallToolResult extend = call(c, EXTEND, Map.of("audio", b64, "left_extend_duration", 2, "right_extend_duration", 3.5,
        "style_prompt", "piano", "output_format", "wav"));
    assertThat(extend.isError()).as(text(extend)).isFalse();
    assertThat(inputOf(extend).path("left_extend_duration").asDouble()).isEqualTo(2.0);
    assertThat(inputOf(extend).path("right_extend_duration").asDouble()).isEqualTo(3.5);
    assertThat((String) structured(extend).get("audio_url")).endsWith(".wav");
  }

  /** The task's normalised input, as the get-task tool shows it. */
  JsonNode inputOf(CallToolResult generated) {
    CallToolResult t = call(client(key), GET_TASK, Map.of("task_id", structured(generated).get("task_id")));
    return Json.MAPPER.valueToTree(structured(t)).path("input");
  }

  @Test
  void badInputIsAToolErrorNamingTheField() {
    McpSyncClient c = client(key);
    CallToolResult r = call(c, TXT2AUDIO, Map.of("lyrics", "[inst]"));
    assertThat(r.isError()).isTrue();
    assertThat(text(r)).isEqualTo("input.style_prompt is required");
    CallToolResult late = call(c, EXTEND, Map.of("audio", "https://example.com/a.mp3", "style_prompt", "piano"));
    assertThat(late.isError()).isTrue();
    assertThat(text(late)).contains("left_extend_duration");
    CallToolResult noId = call(c, GET_TASK, Map.of());
    assertThat(noId.isError()).isTrue();
    assertThat(text(noId)).startsWith("task_id is required");
  }

  @Test
  void aFailedTaskIsAToolErrorWithItsMessage() {
    String notAudio = Base64.getEncoder().encodeToString("<html>not audio</html>".getBytes());
    CallToolResult r = call(client(key), AUDIO2AUDIO, Map.of("style_audio", notAudio, "style_prompt", "ambient"));
    assertThat(r.isError()).isTrue();
    assertThat(text(r)).startsWith("failed to get input audio: ").contains("task_id: ");
  }

  @Test
  void theEndpointWantsAnApiKey() {
    String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}}";
    Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
    Api.Reply missing = api.send("POST", "/mcp", null, init, accept);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.body().path("code").asInt()).isEqualTo(401);
    assertThat(missing.message()).contains("missing API key");
    Api.Reply wrong = api.send("POST", "/mcp", "rk_not-a-key", init, accept);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.message()).isEqualTo("invalid API key");
    assertThat(api.send("GET", "/mcp", null, null, Map.of("Accept", "text/event-stream")).status()).isEqualTo(401);

    Api.Reply ok = api.send("POST", "/mcp", key, init, accept);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.raw().headers().firstValue("mcp-session-id")).isPresent();
    // A Bearer token works as well, with the SDK's client.
    assertThat(client("Authorization", "Bearer " + key, null, null, body -> {}).listTools().tools()).hasSize(5);

    // Timed with the routes Javalin serves, though the SDK's servlet answers it.
    String admin = ts.server.keys().create("prometheus", null, null, true).secret();
    String metrics = new String(api.get("/metrics", admin).raw().body(), StandardCharsets.UTF_8);
    assertThat(metrics).containsPattern("refrain_http_requests_seconds_count\\{method=\"POST\",route=\"/mcp\",status=\"401\"} [1-9]")
        .containsPattern("refrain_http_requests_seconds_count\\{method=\"POST\",route=\"/mcp\",status=\"200\"} [1-9]");
  }

  @Test
  void theBodyLimitIsTheServersNotTheSdks() {
    // The SDK alone would refuse any message over 16 MiB; under REFRAIN_MAX_BODY_BYTES (32 MiB) it is the server's to take.
    String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"big\",\"version\":\"1\"},\"_meta\":{\"pad\":\"" + "x".repeat(17 << 20) + "\"}}}";
    Api.Reply r = api.send("POST", "/mcp", key, init, Map.of("Accept", "application/json, text/event-stream"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("mcp-session-id")).isPresent();
  }

  @Test
  void oneKeyNeverSeesAnothersTask() {
    CallToolResult mine = call(client(key), TXT2AUDIO, Map.of("style_prompt", "jazz", "duration", 10));
    String id = (String) structured(mine).get("task_id");
    String other = ts.newKey();
    CallToolResult theirs = call(client(other), GET_TASK, Map.of("task_id", id));
    assertThat(theirs.isError()).isTrue();
    assertThat(text(theirs)).isEqualTo("task " + id + " not found");
    assertThat(call(client(key), GET_TASK, Map.of("task_id", id)).isError()).isFalse();
  }

  @Test
  void aCancelledCallCancelsItsTask() throws Exception {
    ToolCalls.Progress progress = new ToolCalls.Progress();
    AtomicReference<HttpClientStreamableHttpTransport> transport = new AtomicReference<>();
    AtomicReference<Object> callId = new AtomicReference<>();
    McpSyncClient c = client("x-api-key", key, progress, transport, body -> {
      JsonNode m = Json.parse(body);
      if (m.path("method").asText().equals("tools/call")) callId.set(m.get("id").isNumber() ? m.get("id").asLong() : m.get("id").asText());
    });
    GateEngine.close();
    progress.expect(GateEngine.STAGE); // the engine's own stage, carried to the client
    CompletableFuture<CallToolResult> call = start(c, TXT2AUDIO, Map.of("style_prompt", "ambient", "duration", 10), "long");
    assertThat(progress.arrived()).isTrue();

    transport.get().sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/cancelled",
        Map.of("requestId", callId.get(), "reason", "the user changed their mind"))).block();
    CallToolResult r = call.get(30, TimeUnit.SECONDS);
    assertThat(r.isError()).isTrue();
    assertThat(text(r)).startsWith("task canceled by the client");
    String id = text(r).substring(text(r).indexOf("task_id: ") + 9);
    JsonNode task = api.get("/api/v1/task/" + id, key).data();
    assertThat(task.path("status").asText()).isEqualTo("failed");
    assertThat(task.path("error").path("message").asText()).isEqualTo("task canceled by the client");
  }
}
