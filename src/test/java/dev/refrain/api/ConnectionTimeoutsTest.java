package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.refrain.core.Json;
import dev.refrain.testing.Api;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.LogCapture;
import dev.refrain.testing.RawHttp;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * REFRAIN_IDLE_TIMEOUT and REFRAIN_HEADER_TIMEOUT, made short: a client that sends nothing, or sends
 * its request head too slowly, is let go; an answer that takes longer than the idle timeout to come
 * (an event stream, Prefer: wait, an MCP tool call) is not cut.
 */
// Runs once, in the default execution: connection deadlines do not depend on the store.
@RunsOnce
class ConnectionTimeoutsTest {
  private static final Duration IDLE = Duration.ofSeconds(1);
  private static final Duration HEAD = Duration.ofSeconds(2);
  /** Beyond the idle timeout: what must outlive it waits this long. */
  private static final Duration LONGER = IDLE.multipliedBy(3);
  private static TestServer ts;
  private static String key;

  @BeforeAll
  static void start() throws IOException {
    ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_IDLE_TIMEOUT", "1s", "REFRAIN_HEADER_TIMEOUT", "2s",
        "REFRAIN_MAX_WAIT", "10s"));
    key = ts.newKey();
  }

  @AfterAll
  static void stop() {
    GateEngine.open();
    ts.close();
  }

  @AfterEach
  void openGate() {
    GateEngine.open();
  }

  private static RawHttp connect() {
    return new RawHttp(ts.server.port());
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() {
    try (RawHttp http = connect()) {
      assertThat(http.closedWithin(IDLE.plusSeconds(2))).isGreaterThan(IDLE.minusMillis(200));
    }
  }

  @Test
  void halfARequestLineIsClosedAfterTheIdleTimeout() {
    try (RawHttp http = connect()) {
      http.send("GET /healthz HT");
      assertThat(http.closedWithin(IDLE.plusSeconds(2))).isGreaterThan(IDLE.minusMillis(200));
    }
  }

  @Test
  void aRequestHeadTrickledInIsCutOffAtTheHeaderDeadline() {
    try (RawHttp http = connect()) {
      http.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
      // A header line every 300 ms: never idle, never done (slowloris).
      Thread trickle = Thread.ofVirtual().start(() -> {
        while (http.send("X-Slow: " + System.nanoTime() + "\r\n")) {
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      try {
        assertThat(http.closedWithin(HEAD.plusSeconds(2))).isGreaterThan(HEAD.minusMillis(200));
      } finally {
        trickle.interrupt();
      }
    }
  }

  @Test
  void aWholeRequestIsAnsweredAndItsConnectionThenIdlesOut() {
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("GET", "/healthz"));
      assertThat(http.answer(Duration.ofSeconds(5)).status()).isEqualTo(200);
      http.closedWithin(IDLE.plusSeconds(2));
    }
  }

  @Test
  void aBodyThatStopsComingIsTimedOut() {
    try (LogCapture logs = LogCapture.start()) {
      for (String path : new String[] {"/api/v1/task", "/api/ephemeral_resource", "/mcp"}) {
        try (RawHttp http = connect()) {
          http.send(RawHttp.head("POST", path, "x-api-key: " + key, "Content-Type: application/json",
              "Accept: application/json, text/event-stream", "Content-Length: 1000") + "{\"model\":");
          RawHttp.Answer a = http.answer(IDLE.plusSeconds(3));
          assertThat(a.status()).as("%s: %s", path, a.head()).isEqualTo(408);
          assertThat(a.body().path("code").asInt()).isEqualTo(408);
        }
      }
      assertThat(logs.atLeast(Level.WARN)).isEmpty();
    }
  }

  @Test
  void anMcpListeningStreamOutlivesTheIdleTimeout() {
    String session = mcpSession();
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("GET", "/mcp", "x-api-key: " + key, "Accept: text/event-stream", "mcp-session-id: " + session));
      assertThat(http.openAfter(LONGER)).isTrue();
    }
  }

  private static String create() {
    return ts.client.post("/api/v1/task", key, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "calm piano", "duration", 10))).data().path("task_id").asText();
  }

  /** Opens the gate once what must outlive the idle timeout has waited longer than it. */
  private static void openGateLater() {
    Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(LONGER.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      GateEngine.open();
    });
  }

  @Test
  void anEventStreamOutlivesTheIdleTimeout() throws Exception {
    GateEngine.close();
    String id = create();
    LiveProgressTest.Stream events = LiveProgressTest.Stream.open(ts.client, id, key, null);
    events.until(e -> e.name().equals("progress") && e.json().path("stage").asText().equals(GateEngine.STAGE));
    openGateLater();
    assertThat(events.until(e -> e.name().equals("task")).json().path("status").asText()).isEqualTo("completed");
  }

  @Test
  void preferWaitOutlivesTheIdleTimeout() {
    GateEngine.close();
    String id = create();
    openGateLater();
    Api.Reply r = ts.client.send("GET", "/api/v1/task/" + id, key, null, Map.of("Prefer", "wait=10"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.data().path("status").asText()).isEqualTo("completed");
  }

  @Test
  void anMcpToolCallOutlivesTheIdleTimeout() {
    Map<String, String> inSession = Map.of("Accept", "application/json, text/event-stream", "mcp-session-id", mcpSession());
    GateEngine.close();
    openGateLater();
    Api.Reply call = ts.client.send("POST", "/mcp", key, Json.write(Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call",
        "params", Map.of("name", "piapi_qubico_ace_step_txt2audio", "arguments", Map.of("style_prompt", "piano", "duration", 10)))), inSession);
    assertThat(call.status()).isEqualTo(200);
    assertThat(new String(call.raw().body())).contains("\"status\":\"completed\"").contains("audio_url");
  }

  /** A new, initialized MCP session's id. */
  private static String mcpSession() {
    Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
    String init = Json.write(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of("protocolVersion", "2025-06-18",
        "capabilities", Map.of(), "clientInfo", Map.of("name", "raw", "version", "1"))));
    String session = ts.client.send("POST", "/mcp", key, init, accept).raw().headers().firstValue("mcp-session-id").orElseThrow();
    ts.client.send("POST", "/mcp", key, Json.write(Map.of("jsonrpc", "2.0", "method", "notifications/initialized")),
        Map.of("Accept", "application/json, text/event-stream", "mcp-session-id", session));
    return session;
  }
}
