package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.refrain.mcp.McpEndpoint;
import dev.refrain.testing.Api;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.LogCapture;
import dev.refrain.testing.RawHttp;
import dev.refrain.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests no client should send, sent on purpose, as raw HTTP: each gets a clear 4xx in the JSON
 * envelope (or its connection closed), never a 5xx, and the log says at most one short line.
 */
class HostileRequestsTest {
  private static final Duration PROMPTLY = Duration.ofSeconds(5);
  private static final int LIMIT = 64 * 1024;
  /** Every route that takes a body (the admin key may call them all). */
  private static final List<String> WITH_BODY = List.of("/api/v1/task", "/api/ephemeral_resource", "/api/v1/admin/keys", "/mcp");
  private static TestServer ts;
  private static String key;
  private static String admin;

  @BeforeAll
  static void start() throws IOException {
    ts = TestServer.start(Map.of("REFRAIN_MAX_BODY_BYTES", Integer.toString(LIMIT)));
    key = ts.newKey();
    admin = ts.server.keys().create("admin", null, null, true).secret();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static RawHttp connect() {
    return new RawHttp(ts.server.port());
  }

  /** The head of a POST to {@code path} with a JSON body, as the admin, plus {@code headers}. */
  private static String post(String path, String... headers) {
    List<String> all = new ArrayList<>(List.of("x-api-key: " + admin, "Content-Type: application/json",
        "Accept: application/json, text/event-stream"));
    all.addAll(List.of(headers));
    return RawHttp.head("POST", path, all.toArray(String[]::new));
  }

  @Test
  void aBodyDeclaredTooLargeIsRefusedFromItsHeaderAlone() {
    try (LogCapture logs = LogCapture.start()) {
      for (String path : WITH_BODY) {
        for (long length : new long[] {LIMIT + 1, 1L << 30, Long.MAX_VALUE}) {
          try (RawHttp http = connect()) {
            // A few bytes of the body, and no more: the answer must not wait for the rest.
            http.send(post(path, "Content-Length: " + length) + "{\"model\":");
            RawHttp.Answer a = http.answer(PROMPTLY);
            assertThat(a.status()).as("%s with Content-Length %d: %s", path, length, a.head()).isEqualTo(413);
            assertThat(a.body().path("code").asInt()).isEqualTo(413);
            assertThat(a.message()).isEqualTo("request body is too large (at most " + LIMIT + " bytes)");
          }
        }
      }
      assertThat(logs.atLeast(Level.WARN)).isEmpty();
    }
  }

  @Test
  void aClientThatSendsTheWholeRefusedBodyBeforeReadingStillHearsThe413() {
    // Most HTTP libraries send the body in full before they read (no Expect: 100-continue): the
    // server reads what it refused and drops it, where a close would reset the connection under them.
    byte[] part = "x".repeat(8192).getBytes(StandardCharsets.US_ASCII);
    for (String path : WITH_BODY) {
      try (RawHttp http = connect()) {
        int length = 64 * LIMIT;
        http.send(post(path, "Content-Length: " + length));
        for (int sent = 0; sent < length; sent += part.length) assertThat(http.send(part)).as("%s: the body is taken in", path).isTrue();
        RawHttp.Answer a = http.answer(PROMPTLY);
        assertThat(a.status()).as("%s: %s", path, a.head()).isEqualTo(413);
        assertThat(a.head()).containsIgnoringCase("Connection: close");
      }
    }
  }

  @Test
  void bodiesInFlightTogetherStayWithinTheBudget() throws Exception {
    // Many large bodies at once would each be held whole: past the budget, a request is told to come back.
    try (TestServer small = TestServer.start(Map.of("REFRAIN_MAX_BODY_BYTES", Integer.toString(LIMIT),
        "REFRAIN_MAX_BODY_BYTES_IN_FLIGHT", Integer.toString(2 * LIMIT)))) {
      String k = small.newKey();
      String head = RawHttp.head("POST", "/api/v1/task", "x-api-key: " + k, "Content-Type: application/json",
          "Content-Length: " + LIMIT);
      List<RawHttp> held = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          RawHttp http = new RawHttp(small.server.port());
          held.add(http);
          http.send(head + "{\"model\":"); // the rest never comes while the test looks
        }
        Thread.sleep(200);
        try (RawHttp third = new RawHttp(small.server.port())) {
          third.send(head + "{");
          RawHttp.Answer a = third.answer(PROMPTLY);
          assertThat(a.status()).isEqualTo(503);
          assertThat(a.message()).isEqualTo(BodyLimit.BUSY);
          assertThat(a.head()).containsIgnoringCase("Retry-After: 1");
        }
        assertThat(small.client.get("/healthz", null).status()).as("bodiless requests go on").isEqualTo(200);
      } finally {
        held.forEach(RawHttp::abort);
      }
      long end = System.nanoTime() + PROMPTLY.toNanos();
      String body = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}";
      while (small.client.post("/api/v1/task", k, body).status() == 503) {
        assertThat(System.nanoTime()).as("the budget comes back when the held requests end").isLessThan(end);
        Thread.sleep(50);
      }
    }
  }

  @Test
  void requestsWithoutABodyTakeNothingFromTheBudget() throws Exception {
    // Event streams hold their request for as long as the task runs: were each counted as a body of
    // unknown length (the limit), a few open streams would leave every create a 503.
    GateEngine.close();
    try (TestServer small = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_MAX_BODY_BYTES", Integer.toString(LIMIT),
        "REFRAIN_MAX_BODY_BYTES_IN_FLIGHT", Integer.toString(2 * LIMIT)))) {
      String k = small.newKey();
      String body = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}";
      String id = small.client.post("/api/v1/task", k, body).data().path("task_id").asText();
      List<RawHttp> streams = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          RawHttp http = new RawHttp(small.server.port());
          streams.add(http);
          http.send(RawHttp.head("GET", "/api/v1/task/" + id + "/events", "x-api-key: " + k));
          assertThat(http.answer(Duration.ofMillis(500)).status()).as("the stream is open").isEqualTo(200);
        }
        assertThat(small.client.post("/api/v1/task", k, body).status()).isEqualTo(200);
      } finally {
        GateEngine.open();
        streams.forEach(RawHttp::abort);
      }
    }
  }

  @Test
  void aBodyOfExactlyTheLimitIsRead() {
    String body = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\","
        + "\"duration\":10},\"padding\":\"\"}";
    String full = body.replace("\"\"}", "\"" + "x".repeat(LIMIT - body.length()) + "\"}");
    assertThat(full).hasSize(LIMIT);
    // A client of its own: the shared one may hold a connection an earlier test's refusal closed.
    Api client = new Api("http://127.0.0.1:" + ts.server.port());
    assertThat(client.post("/api/v1/task", key, full).status()).isEqualTo(200);
    assertThat(client.post("/api/v1/task", key, full.replace("\"x", "\"xx")).status()).isEqualTo(413);
  }

  @Test
  void aChunkedBodyIsCutOffOnceItPassesTheLimit() {
    try (LogCapture logs = LogCapture.start()) {
      for (String path : WITH_BODY) {
        try (RawHttp http = connect()) {
          http.send(post(path, "Transfer-Encoding: chunked"));
          // One byte past the limit, and then the body just stops (no last chunk): the answer must not wait for more.
          for (int sent = 0; sent <= LIMIT; sent += 4096) http.send(RawHttp.chunk("x".repeat(Math.min(4096, LIMIT + 1 - sent))));
          RawHttp.Answer a = http.answer(PROMPTLY);
          assertThat(a.status()).as("%s: %s", path, a.head()).isEqualTo(413);
          assertThat(a.message()).isEqualTo("request body is too large (at most " + LIMIT + " bytes)");
        }
      }
      assertThat(logs.atLeast(Level.WARN)).isEmpty();
    }
  }

  @Test
  void manyOversizedBodiesAtOnceAreEachRefusedWithoutHoldingThem() throws Exception {
    // 128 at once, as in the review (there each was 33 MB, sent in full): half declared, half chunked.
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 128; i++) {
        boolean chunked = i % 2 == 0;
        String path = WITH_BODY.get(i % WITH_BODY.size());
        answers.add(pool.submit(() -> {
          try (RawHttp http = connect()) {
            if (chunked) {
              http.send(post(path, "Transfer-Encoding: chunked"));
              for (int sent = 0; sent <= LIMIT && http.send(RawHttp.chunk("y".repeat(8192))); sent += 8192) {
                // until one chunk past the limit, or until the server stops reading
              }
            } else {
              http.send(post(path, "Content-Length: " + 33 * 1024 * 1024) + "{");
            }
            RawHttp.Answer a = http.answer(Duration.ofSeconds(20));
            return path + (chunked ? " chunked: " : " declared: ") + a.status() + " " + a.message();
          }
        }));
      }
      for (Future<String> a : answers) assertThat(a.get()).endsWith(": 413 request body is too large (at most " + LIMIT + " bytes)");
    }
    assertThat(ts.client.get("/healthz", null).status()).isEqualTo(200);
  }

  @Test
  void anMcpBodyIsNeverWrittenToTheLogOrEchoed() {
    String a = "A".repeat(LIMIT - 200);
    Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
    try (LogCapture logs = LogCapture.start()) {
      for (String body : new String[] {a, "{\"hello\":\"" + a + "\"}", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + a + "\"}]"}) {
        Api.Reply r = ts.client.send("POST", "/mcp", key, body, accept);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("code").asInt()).isEqualTo(400);
        assertThat(r.message()).startsWith("request body must be a JSON-RPC message");
      }
      // Messages the SDK takes, in a session, with the long text where it is not expected.
      String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
      String session = ts.client.send("POST", "/mcp", key, init, accept).raw().headers().firstValue("mcp-session-id").orElseThrow();
      Map<String, String> inSession = Map.of("Accept", "application/json, text/event-stream", "mcp-session-id", session);
      for (String body : new String[] {"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"" + a + "\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"" + a + "\"}}",
          "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"piapi_qubico_ace_step_txt2audio\",\"arguments\":{\"style_prompt\":7,\"x\":\"" + a + "\"}}}",
          "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":{\"a\":\"" + a + "\"}}",
          "{\"jsonrpc\":\"2.0\",\"result\":\"" + a + "\"}"}) {
        Api.Reply r = ts.client.send("POST", "/mcp", key, body, inSession);
        assertThat(r.status()).as("%.80s", body).isLessThan(500);
      }
      assertThat(logs.atLeast(Level.WARN)).isEmpty();
      assertThat(logs.all()).allSatisfy(line -> assertThat(line).doesNotContain("AAAAAAAAAAAAAAAA").hasSizeLessThan(2000));
    }
  }

  @Test
  void aRequestLineNoServerCouldReadIsABadRequest() {
    for (String line : new String[] {"GET / HTTP/9.9", "GET / HTTP/1.1 extra", "GARBAGE", "GET /files/%zz HTTP/1.1"}) {
      try (RawHttp http = connect()) {
        http.send(line + "\r\nHost: localhost\r\n\r\n");
        RawHttp.Answer a = http.answer(PROMPTLY);
        assertThat(a.status()).as(line).isEqualTo(400);
        assertThat(a.body().path("code").asInt()).isEqualTo(400);
      }
    }
  }

  @Test
  void aMalformedChunkedBodyIsABadRequest() {
    try (LogCapture logs = LogCapture.start()) {
      for (String path : WITH_BODY) {
        try (RawHttp http = connect()) {
          http.send(post(path, "Transfer-Encoding: chunked") + RawHttp.chunk("{\"a\":") + "zz\r\n\"b\"}\r\n0\r\n\r\n");
          RawHttp.Answer a = http.answer(PROMPTLY);
          assertThat(a.status()).as("%s: %s", path, a.head()).isEqualTo(400);
          assertThat(a.body().path("code").asInt()).isEqualTo(400);
          assertThat(a.message()).startsWith("request body could not be read");
        }
      }
      assertThat(logs.atLeast(Level.WARN)).isEmpty();
    }
  }

  @Test
  void aClientThatHangsUpMidBodyLeavesOneDebugLineAndNoError() throws Exception {
    try (LogCapture logs = LogCapture.start(HttpApi.class, McpEndpoint.class)) {
      for (String path : WITH_BODY) {
        try (RawHttp http = connect()) {
          http.send(post(path, "Content-Length: 1000") + "{\"file_name\": \"take.mp3\", \"file_data\": \"AAAA");
          Thread.sleep(100); // the handler is reading the body by now
          http.abort();
        }
      }
      long end = System.nanoTime() + PROMPTLY.toNanos();
      while (logs.all().size() < WITH_BODY.size() && System.nanoTime() < end) Thread.sleep(20);
      assertThat(logs.all()).hasSize(WITH_BODY.size()).allSatisfy(line -> assertThat(line).startsWith("DEBUG ")
          .contains("request body could not be read").hasSizeLessThan(200).doesNotContain("\n"));
    }
    assertThat(ts.client.get("/healthz", null).status()).isEqualTo(200);
  }

  @Test
  void aFolderUnderFilesIsNotFound() {
    // An upload and an output exist, so on disk their folders do too.
    ts.client.post("/api/ephemeral_resource", key, Map.of("file_name", "a.mp3", "file_data", "AAAA"));
    String id = ts.client.post("/api/v1/task", key, Map.of("model", "Qubico/ace-step", "task_type", "txt2audio",
        "input", Map.of("style_prompt", "piano", "duration", 10))).data().path("task_id").asText();
    assertThat(ts.client.await(id, key, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("completed");

    try (LogCapture logs = LogCapture.start()) {
      for (String path : new String[] {"/files/outputs/", "/files/uploads/", "/files/outputs/.", "/files/uploads/./",
          "/files/outputs/..%2f", "/files/outputs//"}) {
        for (String method : new String[] {"GET", "HEAD"}) {
          for (String range : new String[] {"X-Nothing: 0", "Range: bytes=0-99", "Range: bytes=-10"}) {
            try (RawHttp http = connect()) {
              http.send(RawHttp.head(method, path, range, "Connection: close"));
              RawHttp.Answer a = http.answer(PROMPTLY);
              assertThat(a.status()).as("%s %s (%s)", method, path, range).isEqualTo(404);
              if (method.equals("GET")) assertThat(a.body().path("code").asInt()).isEqualTo(404);
            }
          }
        }
      }
      assertThat(logs.atLeast(Level.WARN)).isEmpty();
    }
  }
}
