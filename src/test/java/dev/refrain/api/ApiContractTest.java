package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.core.Json;
import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.Api;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.TestServer;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The wire contract of ../shared/spec/api.md: envelope, status codes and validation messages, over real HTTP. */
class ApiContractTest {
  static TestServer ts;
  static Api api;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    // The gate engine holds every task, so statuses stay put while the contract is checked.
    GateEngine.close();
    ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_ENGINE_CONCURRENCY", "1", "REFRAIN_DEFAULT_MAX_CONCURRENT", "1",
        "REFRAIN_MAX_BODY_BYTES", "2000000", "REFRAIN_MAX_UPLOAD_BYTES", "1000000"));
    api = ts.client;
    key = ts.newKey();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  static void assertEnvelope(Reply r, int status) {
    assertThat(r.status()).as("HTTP status of %s", r.body()).isEqualTo(status);
    assertThat(r.body()).as("JSON body").isNotNull();
    assertThat(r.body().path("code").asInt()).isEqualTo(status);
    assertThat(r.body().has("data")).isTrue();
    assertThat(r.body().path("message").isTextual()).isTrue();
    assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
  }

  static String txt2audio(String extraInput) {
    return "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"lofi piano\",\"duration\":10"
        + extraInput + "}}";
  }

  @Test
  void createReturnsAPendingTaskInTheEnvelopeWithTimestamp() {
    Reply r = api.post("/api/v1/task", key, txt2audio(""));
    assertEnvelope(r, 200);
    assertThat(r.message()).isEqualTo("success");
    assertThat(r.body().path("timestamp").asLong()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
    JsonNode t = r.data();
    assertThat(t.path("task_id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(t.path("model").asText()).isEqualTo("Qubico/ace-step");
    assertThat(t.path("task_type").asText()).isEqualTo("txt2audio");
    assertThat(t.path("status").asText()).isIn("pending", "processing");
    assertThat(t.path("input").path("lyrics").asText()).isEqualTo("[inst]");
    assertThat(t.path("input").path("duration").asDouble()).isEqualTo(10.0);
    assertThat(t.path("config").path("service_mode").asText()).isEmpty();
    assertThat(t.path("output").isNull()).isTrue();
    assertThat(t.path("meta").path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(t.path("meta").path("usage").path("type").asText()).isEqualTo("llm");
    assertThat(t.path("meta").path("usage").path("frozen").asLong()).isEqualTo(10 * 5000);
    assertThat(t.path("error").path("code").asInt()).isZero();
    assertThat(t.path("error").path("message").asText()).isEmpty();
    assertThat(t.path("logs").isArray()).isTrue();

    Reply g = api.get("/api/v1/task/" + t.path("task_id").asText(), key);
    assertEnvelope(g, 200);
    assertThat(g.body().has("timestamp")).isTrue();
    assertThat(g.data().path("task_id").asText()).isEqualTo(t.path("task_id").asText());
  }

  @Test
  void unknownFieldsAreIgnoredAndServiceModeEchoed() {
    Reply r = api.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"foo\":1,"
        + "\"input\":{\"style_prompt\":\" jazz \",\"bar\":[1,2]},\"config\":{\"service_mode\":\"public\",\"x\":true,"
        + "\"webhook_config\":{\"endpoint\":\"\",\"secret\":\"\"}}}");
    assertEnvelope(r, 200);
    assertThat(r.data().path("input").path("style_prompt").asText()).isEqualTo("jazz");
    assertThat(r.data().path("input").path("duration").asDouble()).isEqualTo(60.0);
    assertThat(r.data().path("config").path("service_mode").asText()).isEqualTo("public");
  }

  @Test
  void webhookSecretIsNeverEchoed() {
    Reply r = api.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
        + "\"input\":{\"style_prompt\":\"jazz\"},\"config\":{\"webhook_config\":{\"endpoint\":\"http://127.0.0.1:9/x\",\"secret\":\"s3cret\"}}}");
    assertEnvelope(r, 200);
    assertThat(r.data().path("config").path("webhook_config").path("endpoint").asText()).isEqualTo("http://127.0.0.1:9/x");
    assertThat(r.raw().body()).asString().doesNotContain("s3cret");
  }

  static Stream<Arguments> invalidCreates() {
    String wav = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
    return Stream.of(
        Arguments.of("[1,2]", "request body must be a JSON object"),
        Arguments.of("{not json", "request body is not valid JSON"),
        Arguments.of("{\"task_type\":\"txt2audio\",\"input\":{}}", "model is required"),
        Arguments.of("{\"model\":\"Qubico/other\",\"task_type\":\"txt2audio\",\"input\":{}}", "model must be one of: Qubico/ace-step"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"input\":{}}", "task_type is required"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"remix\",\"input\":{}}",
            "task_type must be one of: txt2audio, audio2audio, edit, extend"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\"}", "input is required"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":\"x\"}", "input must be a JSON object"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{}}", "input.style_prompt is required"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"   \"}}",
            "input.style_prompt is required"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":5}}",
            "input.style_prompt must be a string"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"" + "a".repeat(1025) + "\"}}",
            "input.style_prompt must be at most 1024 characters"),
        Arguments.of(txt2audio(",\"lyrics\":\"" + "a".repeat(4097) + "\""), "input.lyrics must be at most 4096 characters"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"x\",\"duration\":5}}",
            "input.duration must be between 10 and 240 seconds"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"x\",\"duration\":241}}",
            "input.duration must be between 10 and 240 seconds"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"x\",\"duration\":\"long\"}}",
            "input.duration must be a number of seconds"),
        Arguments.of(txt2audio(",\"seed\":1.5"), "input.seed must be an integer"),
        Arguments.of(txt2audio(",\"output_format\":\"ogg\""), "input.output_format must be one of: mp3, wav, flac"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":{\"style_prompt\":\"x\",\"edit_style_prompt\":\"y\"}}",
            "input.audio is required"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":{\"audio\":\"" + wav + "\",\"style_prompt\":\"x\"}}",
            "input.edit_style_prompt is required"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\",\"input\":{\"style_prompt\":\"x\"}}",
            "input.style_audio is required"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\",\"input\":{\"style_audio\":\"%%%not base64\",\"style_prompt\":\"x\"}}",
            "input.style_audio must be an http(s) URL, a data URI or base64 audio"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"audio2audio\",\"input\":{\"style_audio\":\"ftp://h/a.mp3\",\"style_prompt\":\"x\"}}",
            "input.style_audio must be an http(s) URL, a data URI or base64 audio"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":{\"audio\":\"" + wav + "\",\"style_prompt\":\"x\"}}",
            "input.left_extend_duration + input.right_extend_duration must be greater than 0"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":{\"audio\":\"" + wav + "\",\"style_prompt\":\"x\",\"left_extend_duration\":-1,\"right_extend_duration\":5}}",
            "input.left_extend_duration must be between 0 and 240 seconds"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":{\"audio\":\"" + wav + "\",\"style_prompt\":\"x\",\"left_extend_duration\":200,\"right_extend_duration\":100}}",
            "must be at most 240 seconds"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"x\"},\"config\":{\"webhook_config\":{\"endpoint\":\"not a url\"}}}",
            "config.webhook_config.endpoint must be an absolute http(s) URL"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"x\"},\"config\":[]}",
            "config must be a JSON object"));
  }

  @ParameterizedTest
  @MethodSource("invalidCreates")
  void invalidCreatesAre400sNamingTheFieldAndRule(String body, String message) {
    Reply r = api.post("/api/v1/task", key, body);
    assertEnvelope(r, 400);
    assertThat(r.body().path("data").isNull()).isTrue();
    assertThat(r.message()).contains(message);
  }

  @Test
  void theNegativePromptIsEchoedUnderTheNameItWasSentAndSeedAndFormatAreNormalised() {
    Reply r = api.post("/api/v1/task", key, txt2audio(",\"negative_prompt\":\" drums \",\"seed\":42,\"output_format\":\"WAV\""));
    assertEnvelope(r, 200);
    assertThat(r.data().path("input").path("negative_prompt").asText()).isEqualTo("drums");
    assertThat(r.data().path("input").has("negative_style_prompt")).as("an alias stays the alias").isFalse();
    assertThat(r.data().path("input").path("seed").asLong()).isEqualTo(42);
    assertThat(r.data().path("input").path("output_format").asText()).isEqualTo("wav");

    String both = ",\"negative_style_prompt\":\"drums\",\"negative_prompt\":\"bass\"";
    JsonNode byName = api.post("/api/v1/task", key, txt2audio(both)).data().path("input");
    assertThat(byName.path("negative_style_prompt").asText()).as("the name wins over the alias").isEqualTo("drums");
    assertThat(byName.has("negative_prompt")).isFalse();
    assertThat(api.post("/api/v1/task", key, txt2audio("")).data().path("input").path("negative_style_prompt").asText())
        .as("absent: the default, under the name").isEmpty();
  }

  @Test
  void txt2audioTakesAStyleAudioReferenceFromPiapisCatalog() {
    String b64 = Base64.getEncoder().encodeToString("pretend this is audio".getBytes());
    JsonNode in = api.post("/api/v1/task", key, txt2audio(",\"style_audio\":\"" + b64 + "\"")).data().path("input");
    assertThat(in.path("style_audio").asText()).startsWith(ts.server.baseUrl() + "/files/inputs/");
    assertThat(api.post("/api/v1/task", key, txt2audio(",\"style_audio\":\"https://example.com/ref.mp3\"")).data()
        .path("input").path("style_audio").asText()).isEqualTo("https://example.com/ref.mp3");
    assertThat(api.post("/api/v1/task", key, txt2audio(",\"style_audio\":\"\"")).data().path("input").has("style_audio"))
        .as("sent empty, as catalog-driven clients fill unset fields: absent").isFalse();
    Reply bad = api.post("/api/v1/task", key, txt2audio(",\"style_audio\":42"));
    assertEnvelope(bad, 400);
    assertThat(bad.message()).isEqualTo("input.style_audio must be a string");
  }

  @Test
  void inlineAudioIsNotEchoedButReplacedByItsUrl() {
    String b64 = Base64.getEncoder().encodeToString("pretend this is audio".getBytes());
    Reply r = api.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":{\"audio\":\"data:audio/wav;base64,"
        + b64 + "\",\"style_prompt\":\"x\",\"edit_style_prompt\":\"y\"}}");
    assertEnvelope(r, 200);
    String url = r.data().path("input").path("audio").asText();
    assertThat(url).startsWith(ts.server.baseUrl() + "/files/inputs/");
    assertThat(api.download(url, Map.of()).body()).asString().isEqualTo("pretend this is audio");
    assertThat(r.data().path("input").path("edit_lyrics").asText()).isEqualTo("[inst]");
  }

  @Test
  void authIsRequiredAndAcceptsHeaderVariantsAndBearer() {
    assertEnvelope(api.get("/account/info", null), 401);
    assertEnvelope(api.get("/account/info", "rk_nope"), 401);
    assertEnvelope(api.send("GET", "/account/info", null, null, Map.of("X-API-KEY", key)), 200);
    assertEnvelope(api.send("GET", "/account/info", null, null, Map.of("Authorization", "Bearer " + key)), 200);
  }

  @Test
  void disabledKeyIs403() throws Exception {
    var k = ts.newKey(null, null);
    ts.server.keys().setDisabled(k.record().id(), true);
    Reply r = api.get("/account/info", k.secret());
    assertEnvelope(r, 403);
    assertThat(r.message()).contains("disabled");
  }

  @Test
  void unknownRoutesAndMethodsAnswerJson() {
    Reply r = api.get("/nope", key);
    assertEnvelope(r, 404);
    Reply m = api.send("PUT", "/api/v1/task", key, "{}", Map.of());
    assertEnvelope(m, 405);
    Reply unknownTask = api.get("/api/v1/task/6f1c1d8e-0000-4000-8000-000000000000", key);
    assertEnvelope(unknownTask, 404);
    assertEnvelope(api.get("/api/v1/task/not-a-uuid", key), 404);
  }

  @Test
  void oversizeBodyIs413AndWrongContentTypeIs415() {
    // As a large upload should be sent, the 413 comes before the body, which is never sent; sent
    // blindly, the body is read and dropped, and the 413 follows.
    String oversized = "{\"x\":\"" + "a".repeat(2_100_000) + "\"}";
    assertEnvelope(api.send("POST", "/api/v1/task", key, oversized, Map.of("Expect", "100-continue")), 413);
    assertEnvelope(new Api(api.base).send("POST", "/api/v1/task", key, oversized, Map.of()), 413);
    Reply form = api.send("POST", "/api/v1/task", key, "a=b", Map.of("Content-Type", "application/x-www-form-urlencoded"));
    assertEnvelope(form, 415);
    String tooBig = Base64.getEncoder().encodeToString(new byte[1_100_000]);
    Reply inline = api.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":{\"audio\":\""
        + tooBig + "\",\"style_prompt\":\"x\",\"edit_style_prompt\":\"y\"}}");
    assertEnvelope(inline, 413);
    assertThat(inline.message()).contains("input.audio is larger than");
  }

  @Test
  void malformedRequestsJettyRejectsStillAnswerJson() throws Exception {
    try (var s = new java.net.Socket("127.0.0.1", ts.server.port())) {
      s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nX: ".getBytes());
      s.getOutputStream().write(("a".repeat(70_000) + "\r\n\r\n").getBytes());
      String answer = new String(s.getInputStream().readNBytes(2000));
      assertThat(answer).startsWith("HTTP/1.1 431");
      assertThat(answer).contains("application/json").contains("\"code\":431");
    }
  }

  @Test
  void idempotencyKeyReturnsTheOriginalTaskAndConflictsOnADifferentBody() {
    var k = ts.newKey(10_000_000L, null);
    String body = txt2audio("");
    Reply a = api.send("POST", "/api/v1/task", k.secret(), body, Map.of("Idempotency-Key", "abc-1"));
    Reply b = api.send("POST", "/api/v1/task", k.secret(), body.replace(",", ", "), Map.of("Idempotency-Key", "abc-1"));
    assertEnvelope(a, 200);
    assertEnvelope(b, 200);
    assertThat(b.data().path("task_id").asText()).isEqualTo(a.data().path("task_id").asText());
    Reply info = api.get("/account/info", k.secret());
    assertThat(info.data().path("wallet").path("point_remain").asLong()).isEqualTo(10_000_000L - 50_000);
    Reply c = api.send("POST", "/api/v1/task", k.secret(), txt2audio(",\"seed\":1"), Map.of("Idempotency-Key", "abc-1"));
    assertEnvelope(c, 409);
    Reply d = api.send("POST", "/api/v1/task", k.secret(), body, Map.of("Idempotency-Key", "abc-2"));
    assertThat(d.data().path("task_id").asText()).isNotEqualTo(a.data().path("task_id").asText());
  }

  @Test
  void insufficientCreditsIs402() {
    var k = ts.newKey(40_000L, null);
    Reply r = api.post("/api/v1/task", k.secret(), txt2audio(""));
    assertEnvelope(r, 402);
    assertThat(r.message()).contains("insufficient credits");
    // An edit holds the ceiling (240 s) until the input's length is known.
    var k2 = ts.newKey(1_000_000L, null);
    Reply e = api.post("/api/v1/task", k2.secret(), "{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":{\"audio\":\"http://127.0.0.1:9/a.mp3\","
        + "\"style_prompt\":\"x\",\"edit_style_prompt\":\"y\"}}");
    assertEnvelope(e, 402);
  }

  @Test
  void accountInfoAndActiveTasks() {
    var k = ts.newKey(25_000_000L, 3);
    Reply info = api.get("/account/info", k.secret());
    assertEnvelope(info, 200);
    JsonNode d = info.data();
    assertThat(d.path("account_id").asText()).isEqualTo(k.record().id());
    assertThat(d.path("id").asText()).isEqualTo(k.record().id());
    assertThat(d.path("account_name").asText()).isEqualTo("test");
    assertThat(d.path("is_enable").asBoolean()).isTrue();
    assertThat(d.path("max_concurrent_task_count").asInt()).isEqualTo(3);
    assertThat(d.path("equivalent_in_usd").asDouble()).isEqualTo(2.5);
    assertThat(d.path("credits").asDouble()).isEqualTo(2.5);
    assertThat(d.path("wallet").path("point_remain").asLong()).isEqualTo(25_000_000L);

    Reply active = api.get("/account/active_tasks", k.secret());
    assertEnvelope(active, 200);
    JsonNode fam = active.data().path("Qubico/ace-step");
    assertThat(fam.path("pending_count").asInt()).isZero();
    assertThat(fam.path("processing_count").asInt()).isZero();
    assertThat(fam.path("staged_count").asInt()).isZero();
  }

  @Test
  void historiesPageNewestFirstAndBoundPageSize() throws Exception {
    String k = ts.newKey();
    String[] ids = new String[3];
    for (int i = 0; i < 3; i++) {
      ids[i] = api.post("/api/v1/task", k, txt2audio("")).data().path("task_id").asText();
      Thread.sleep(2);
    }
    Reply h = api.get("/api/open/tasks/histories?page=1&page_size=2", k);
    assertEnvelope(h, 200);
    assertThat(h.data().path("total").asInt()).isEqualTo(3);
    assertThat(h.data().path("tasks").size()).isEqualTo(2);
    assertThat(h.data().path("tasks").get(0).path("task_id").asText()).isEqualTo(ids[2]);
    Reply p2 = api.get("/api/open/tasks/histories?page=2&page_size=2", k);
    assertThat(p2.data().path("tasks").get(0).path("task_id").asText()).isEqualTo(ids[0]);
    assertThat(api.get("/api/open/tasks/histories?model=Qubico/other", k).data().path("total").asInt()).isZero();
    long future = System.currentTimeMillis() / 1000 + 100;
    assertThat(api.get("/api/open/tasks/histories?start_time=" + future, k).data().path("total").asInt()).isZero();
    Reply tooBig = api.get("/api/open/tasks/histories?page_size=101", k);
    assertEnvelope(tooBig, 400);
    assertThat(tooBig.message()).contains("page_size");
    assertEnvelope(api.get("/api/open/tasks/histories?page=x", k), 400);
  }

  @Test
  void ephemeralResourceUpload() {
    byte[] data = "ID3 fake mp3 payload".getBytes();
    Reply r = api.post("/api/ephemeral_resource", key,
        Map.of("file_name", "my song.mp3", "file_data", Base64.getEncoder().encodeToString(data)));
    assertEnvelope(r, 200);
    String url = r.data().path("url").asText();
    assertThat(url).startsWith(ts.server.baseUrl() + "/files/uploads/").endsWith("my_song.mp3");
    var dl = api.download(url, Map.of());
    assertThat(dl.statusCode()).isEqualTo(200);
    assertThat(dl.body()).isEqualTo(data);
    assertThat(dl.headers().firstValue("Content-Type").orElse("")).isEqualTo("audio/mpeg");

    Reply dataUri = api.post("/api/ephemeral_resource", key,
        Map.of("file_name", "a.wav", "file_data", "data:audio/wav;base64," + Base64.getEncoder().encodeToString(data)));
    assertEnvelope(dataUri, 200);
    assertEnvelope(api.post("/api/ephemeral_resource", key, Map.of("file_name", "a.exe", "file_data", "AAAA")), 400);
    assertEnvelope(api.post("/api/ephemeral_resource", key, Map.of("file_name", "a".repeat(130) + ".mp3", "file_data", "AAAA")), 400);
    assertEnvelope(api.post("/api/ephemeral_resource", key, Map.of("file_name", "a.mp3")), 400);
    Reply big = api.post("/api/ephemeral_resource", key,
        Map.of("file_name", "a.mp3", "file_data", Base64.getEncoder().encodeToString(new byte[1_000_001])));
    assertEnvelope(big, 413);
    assertEnvelope(api.post("/api/ephemeral_resource", null, Map.of("file_name", "a.mp3", "file_data", "AAAA")), 401);
  }

  @Test
  void missingFilesAre404Json() {
    assertEnvelope(api.get("/files/outputs/nothing.mp3", null), 404);
    Reply traversal = api.get("/files/../../etc/passwd", null);
    assertThat(traversal.status()).isIn(400, 404); // Jetty refuses the ambiguous path before routing
    assertEnvelope(traversal, traversal.status());
    Reply encoded = api.get("/files/outputs/..%2f..%2fetc%2fpasswd", null);
    assertThat(encoded.status()).isIn(400, 404);
    assertEnvelope(encoded, encoded.status());
  }

  @Test
  void healthz() {
    Reply r = api.get("/healthz", null);
    assertEnvelope(r, 200);
    assertThat(r.data().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void cancelPendingSingleAliasAndBulk() {
    var k = ts.newKey(100_000_000L, 1);
    // One slot for the whole server and one per key: the later tasks wait pending.
    String first = api.post("/api/v1/task", k.secret(), txt2audio("")).data().path("task_id").asText();
    String a = api.post("/api/v1/task", k.secret(), txt2audio("")).data().path("task_id").asText();
    String b = api.post("/api/v1/task", k.secret(), txt2audio("")).data().path("task_id").asText();
    String c = api.post("/api/v1/task", k.secret(), txt2audio("")).data().path("task_id").asText();

    Reply del = api.delete("/api/v1/task/" + a, k.secret());
    assertEnvelope(del, 200);
    assertThat(del.message()).isEqualTo("task " + a + " canceled");
    assertThat(del.body().path("data").isNull()).isTrue();
    JsonNode ta = api.get("/api/v1/task/" + a, k.secret()).data();
    assertThat(ta.path("status").asText()).isEqualTo("failed");
    assertThat(ta.path("error").path("message").asText()).contains("cancel");
    assertThat(ta.path("meta").path("usage").path("frozen").asLong()).isZero();
    assertThat(ta.path("meta").path("usage").path("consume").asLong()).isZero();

    assertEnvelope(api.post("/api/v1/task/" + b + "/cancel", k.secret(), ""), 200);
    Reply again = api.delete("/api/v1/task/" + b, k.secret());
    assertEnvelope(again, 400);
    assertThat(again.message()).contains("already failed");

    Reply bulk = api.delete("/api/v1/tasks?created_before=" + (System.currentTimeMillis() / 1000 + 10) + "&model=all", k.secret());
    assertEnvelope(bulk, 200);
    assertThat(Json.write(bulk.data().path("task_ids"))).contains(c);
    assertThat(api.get("/api/v1/task/" + c, k.secret()).data().path("status").asText()).isEqualTo("failed");
    api.delete("/api/v1/task/" + first, k.secret());
  }
}
