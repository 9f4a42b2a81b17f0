package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.TestServer;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hostile request costs one 400, never the server and never a task: every bad input is refused
 * with a message naming the field before anything is written.
 */
class HostileInputTest {
  static final long CREDITS = 10_000_000;
  static TestServer ts;

  @BeforeAll
  static void start() throws Exception {
    GateEngine.close(); // nothing leaves pending or processing: what was created stays visible
    ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate"));
  }

  @AfterAll
  static void stop() {
    GateEngine.open();
    ts.close();
  }

  static String txt2audio(String input) {
    return "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"pop\"" + input + "}}";
  }

  static String withWebhook(String webhookConfig) {
    return "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"pop\"},"
        + "\"config\":{\"webhook_config\":" + webhookConfig + "}}";
  }

  /** Posts a create with a fresh key of {@link #CREDITS}, expects a 400 naming the field, and that nothing was created or held. */
  static void refused(String body, String message) {
    String key = ts.newKey(CREDITS, null).secret();
    Reply r = ts.client.post("/api/v1/task", key, body);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(400);
    assertThat(r.body().path("code").asInt()).isEqualTo(400);
    assertThat(r.data().isNull()).isTrue();
    assertThat(r.message()).contains(message);
    assertThat(ts.client.get("/api/open/tasks/histories", key).data().path("total").asInt()).as("tasks created").isZero();
    assertThat(ts.client.get("/account/info", key).data().path("wallet").path("point_remain").asLong()).as("balance").isEqualTo(CREDITS);
  }

  static Stream<Arguments> loneSurrogates() {
    return Stream.of(
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"pop\\ud800x\"}}",
             "input.style_prompt must be well-formed Unicode"),
        Arguments.of(txt2audio(",\"lyrics\":\"[verse]\\nla \\udc00\""), "input.lyrics must be well-formed Unicode"),
        Arguments.of(txt2audio(",\"negative_prompt\":\"x\\ud83c\""), "input.negative_prompt must be well-formed Unicode"),
        Arguments.of(txt2audio(",\"extra\":[\"ok\",{\"deep\":\"\\udfff\"}]"), "input.extra[1].deep must be well-formed Unicode"),
        Arguments.of(txt2audio(",\"k\\ud800\":1"), "request body is not valid JSON"),
        Arguments.of(withWebhook("{\"endpoint\":\"https://example.com/\\ud800\"}"),
            "config.webhook_config.endpoint must be well-formed Unicode"),
        Arguments.of(withWebhook("{\"endpoint\":\"\",\"secret\":\"s\\udbff\"}"),
            "config.webhook_config.secret must be well-formed Unicode"));
  }

  @ParameterizedTest
  @MethodSource("loneSurrogates")
  void aLoneSurrogateInAnyStringIsA400NamingTheField(String body, String message) {
    refused(body, message);
  }

  @Test
  void surrogatePairsAreWelcome() {
    Reply r = ts.client.post("/api/v1/task", ts.newKey(), txt2audio(",\"lyrics\":\"[verse]\\n\\ud83c\\udfb5 la\""));
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    assertThat(r.data().path("input").path("lyrics").asText()).isEqualTo("[verse]\n\uD83C\uDFB5 la");
  }

  @Test
  void aLoneSurrogateIsRefusedByUploadAndKeyManagementToo() {
    Reply upload = ts.client.post("/api/ephemeral_resource", ts.newKey(), "{\"file_name\":\"a\\ud800.mp3\",\"file_data\":\"AAAA\"}");
    assertThat(upload.status()).isEqualTo(400);
    assertThat(upload.message()).startsWith("file_name must be well-formed Unicode");
    String admin = ts.server.keys().create("admin", null, null, true).secret();
    Reply key = ts.client.post("/api/v1/admin/keys", admin, "{\"name\":\"\\udc00bob\"}");
    assertThat(key.status()).isEqualTo(400);
    assertThat(key.message()).startsWith("name must be well-formed Unicode");
  }
}
