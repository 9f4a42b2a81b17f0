package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.TestServer;
import java.util.List;
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

  static String task(String type, String input) {
    return "{\"model\":\"Qubico/ace-step\",\"task_type\":\"" + type + "\",\"input\":{\"style_prompt\":\"pop\"" + input + "}}";
  }

  static Stream<Arguments> numbersOutOfRange() {
    String url = ",\"audio\":\"http://example.com/a.mp3\"";
    return Stream.of(
        Arguments.of(txt2audio(",\"infer_step\":4294967301"), "input.infer_step must be a whole number between 1 and 200"),
        Arguments.of(txt2audio(",\"infer_step\":-4294967295"), "input.infer_step must be a whole number between 1 and 200"),
        Arguments.of(txt2audio(",\"infer_step\":99999999999999999999999"), "input.infer_step must be a whole number between 1 and 200"),
        Arguments.of(txt2audio(",\"infer_step\":1e400"), "input.infer_step must be a whole number between 1 and 200"),
        Arguments.of(txt2audio(",\"infer_step\":5.5"), "input.infer_step must be a whole number between 1 and 200"),
        Arguments.of(txt2audio(",\"seed\":9223372036854775808"), "input.seed must be an integer"),
        Arguments.of(txt2audio(",\"seed\":1e400"), "input.seed must be an integer"),
        Arguments.of(txt2audio(",\"duration\":1e400"), "input.duration must be between 10 and 240 seconds"),
        Arguments.of(txt2audio(",\"duration\":\"1e400\""), "input.duration must be between 10 and 240 seconds"),
        Arguments.of(txt2audio(",\"duration\":99999999999999999999999"), "input.duration must be between 10 and 240 seconds"),
        Arguments.of(txt2audio(",\"guidance_scale\":1e400"), "input.guidance_scale must be a number between 0 and 30"),
        Arguments.of(task("audio2audio", ",\"style_audio\":\"http://example.com/a.mp3\",\"ref_audio_strength\":-1e400"),
            "input.ref_audio_strength must be a number between 0 and 1"),
        Arguments.of(task("edit", url + ",\"edit_style_prompt\":\"rock\",\"edit_strength\":99999999999999999999999"),
            "input.edit_strength must be a number between 0 and 1"),
        Arguments.of(task("extend", url + ",\"left_extend_duration\":1e400"), "input.left_extend_duration must be between 0 and 240 seconds"),
        Arguments.of(task("extend", url + ",\"right_extend_duration\":-99999999999999999999999"),
            "input.right_extend_duration must be between 0 and 240 seconds"));
  }

  @ParameterizedTest
  @MethodSource("numbersOutOfRange")
  void aNumberOutOfItsRangeOrNotWholeWhereAWholeOneIsDueIsA400NamingTheField(String body, String message) {
    refused(body, message);
  }

  @Test
  void keyManagementRefusesNumbersOutOfRangeToo() {
    String admin = ts.server.keys().create("admin", null, null, true).secret();
    for (String mc : new String[] {"4294967297", "-4294967295", "1e400", "2.5", "99999999999999999999999"}) {
      Reply r = ts.client.post("/api/v1/admin/keys", admin, "{\"name\":\"bob\",\"max_concurrent\":" + mc + "}");
      assertThat(r.status()).as("max_concurrent %s: %s", mc, r.body()).isEqualTo(400);
      assertThat(r.message()).startsWith("max_concurrent must be a whole number from 1 to 10000");
    }
    for (String credits : new String[] {"1e400", "-1e400", "99999999999999999999999", "0.00000001"}) {
      Reply r = ts.client.post("/api/v1/admin/keys", admin, "{\"name\":\"bob\",\"credits\":" + credits + "}");
      assertThat(r.status()).as("credits %s: %s", credits, r.body()).isEqualTo(400);
      assertThat(r.message()).startsWith("credits must be an amount in USD");
    }
    assertThat(ts.client.get("/api/v1/admin/keys", admin).data().path("keys").findValuesAsText("name")).doesNotContain("bob");
  }

  static Stream<Arguments> notOneStrictJsonObject() {
    String ok = txt2audio("");
    return Stream.of(
        Arguments.of(ok + " xyz", "request body is not valid JSON: Unrecognized token 'xyz'"),
        Arguments.of(ok + ok, "request body is not valid JSON: more follows the JSON value (line 1, column "),
        Arguments.of(ok + " 1", "request body is not valid JSON: more follows the JSON value"),
        Arguments.of("{\"model\":\"Qubico/ace-step\",\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"pop\"}}",
            "request body is not valid JSON: Duplicate field 'model' (at model, line 1, column "),
        Arguments.of(txt2audio(",\"style_prompt\":\"rock\""), "request body is not valid JSON: Duplicate field 'style_prompt' (at input.style_prompt,"),
        Arguments.of(txt2audio(",\"x\":[0,{\"a\":1,\"a\":2}]"), "Duplicate field 'a' (at input.x[1].a,"),
        Arguments.of(withWebhook("{\"endpoint\":\"\",\"endpoint\":\"https://example.com/\"}"),
            "Duplicate field 'endpoint' (at config.webhook_config.endpoint,"));
  }

  @ParameterizedTest
  @MethodSource("notOneStrictJsonObject")
  void trailingGarbageAndDuplicateKeysAreA400(String body, String message) {
    refused(body, message);
  }

  @Test
  void uploadAndKeyManagementReadJsonAsStrictly() {
    String file = "{\"file_name\":\"a.mp3\",\"file_data\":\"AAAA\"}";
    Reply upload = ts.client.post("/api/ephemeral_resource", ts.newKey(), file + " " + file);
    assertThat(upload.status()).isEqualTo(400);
    assertThat(upload.message()).startsWith("request body is not valid JSON: more follows the JSON value");
    String admin = ts.server.keys().create("admin", null, null, true).secret();
    Reply create = ts.client.post("/api/v1/admin/keys", admin, "{\"name\":\"carol\",\"admin\":false,\"admin\":true}");
    assertThat(create.status()).isEqualTo(400);
    assertThat(create.message()).startsWith("request body is not valid JSON: Duplicate field 'admin'");
    assertThat(ts.client.get("/api/v1/admin/keys", admin).data().path("keys").findValuesAsText("name")).doesNotContain("carol");
    var limited = ts.newKey(CREDITS, null);
    Reply credit = ts.client.post("/api/v1/admin/keys/" + limited.record().id() + "/credits", admin, "{\"credits\":1} trailing");
    assertThat(credit.status()).isEqualTo(400);
    assertThat(ts.client.get("/account/info", limited.secret()).data().path("wallet").path("point_remain").asLong()).isEqualTo(CREDITS);
  }

  static Stream<Arguments> badPaging() {
    return Stream.of(
        Arguments.of("page=2147483647", "page must be a whole number from 1 to 214748365"),
        Arguments.of("page=4294967297", "page must be a whole number from 1 to 214748365"),
        Arguments.of("page=21474838&page_size=100", "page must be a whole number from 1 to 21474837"),
        Arguments.of("page=2147483648&page_size=1", "page must be a whole number from 1 to 2147483647"),
        Arguments.of("page=0", "page must be a whole number from 1 to"),
        Arguments.of("page=-1", "page must be a whole number from 1 to"),
        Arguments.of("page=1.5", "page must be a whole number from 1 to"),
        Arguments.of("page=99999999999999999999", "page must be a whole number from 1 to"),
        Arguments.of("page=two", "page must be a whole number from 1 to"),
        Arguments.of("page_size=4294967306", "page_size must be a whole number from 1 to 100"),
        Arguments.of("page_size=0", "page_size must be a whole number from 1 to 100"),
        Arguments.of("page_size=101", "page_size must be a whole number from 1 to 100"),
        Arguments.of("start_time=9223372036855", "start_time must be a whole number from 0 to 9223372036854"),
        Arguments.of("start_time=-1", "start_time must be a whole number from 0 to 9223372036854"),
        Arguments.of("end_time=9223372036854775807", "end_time must be a whole number from 0 to 9223372036854"));
  }

  @ParameterizedTest
  @MethodSource("badPaging")
  void historyParametersOutOfRangeAreA400NamingTheParameter(String query, String message) {
    Reply r = ts.client.get("/api/open/tasks/histories?" + query, ts.newKey());
    assertThat(r.status()).as("%s", r.body()).isEqualTo(400);
    assertThat(r.data().isNull()).isTrue();
    assertThat(r.message()).startsWith(message);
  }

  @Test
  void aPagePastTheLastOneIsEmptyUpToTheLargestPageThereCanBe() {
    String key = ts.newKey();
    assertThat(ts.client.post("/api/v1/task", key, txt2audio("")).status()).isEqualTo(200);
    assertThat(ts.client.get("/api/open/tasks/histories?page=1&page_size=1", key).data().path("tasks")).hasSize(1);
    for (String query : new String[] {"page=2", "page=214748365", "page=2147483647&page_size=1", "page=21474837&page_size=100"}) {
      Reply r = ts.client.get("/api/open/tasks/histories?" + query, key);
      assertThat(r.status()).as("%s: %s", query, r.body()).isEqualTo(200);
      assertThat(r.data().path("tasks")).isEmpty();
      assertThat(r.data().path("total").asInt()).isEqualTo(1);
    }
  }

  @Test
  void bulkCancelRefusesATimeThatOverflows() {
    String key = ts.newKey();
    String id = ts.client.post("/api/v1/task", key, txt2audio("")).data().path("task_id").asText();
    Reply r = ts.client.delete("/api/v1/tasks?created_before=9223372036854775807", key);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(400);
    assertThat(r.message()).startsWith("created_before must be a whole number from 0 to 9223372036854");
    assertThat(ts.client.get("/api/v1/task/" + id, key).data().path("status").asText()).isIn("pending", "processing");
  }

  @Test
  void aWebhookOnAPrivateAddressIsRefusedAtCreateUnlessTheOperatorAllowsIt() throws Exception {
    try (TestServer strict = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_WEBHOOK_ALLOW_PRIVATE", "false"))) {
      String key = strict.newKey(CREDITS, null).secret();
      for (String endpoint : List.of("http://127.0.0.1:9/x", "http://10.0.0.7/hook", "http://169.254.169.254/latest/meta-data",
          "http://[::1]:9/x", "https://[::ffff:192.168.1.1]/x", "http://localhost:9/x")) {
        Reply r = strict.client.post("/api/v1/task", key, withWebhook("{\"endpoint\":\"" + endpoint + "\"}"));
        assertThat(r.status()).as("%s: %s", endpoint, r.body()).isEqualTo(400);
        assertThat(r.message()).startsWith("config.webhook_config.endpoint must be on a public address (refused: ");
      }
      assertThat(strict.client.get("/api/open/tasks/histories", key).data().path("total").asInt()).isZero();
      assertThat(strict.client.get("/account/info", key).data().path("wallet").path("point_remain").asLong()).isEqualTo(CREDITS);
      // A public address passes, and so does a name that does not resolve now: delivery resolves and checks it again.
      for (String endpoint : List.of("http://203.0.113.7/hook", "https://hooks.invalid/x")) {
        Reply r = strict.client.post("/api/v1/task", key, withWebhook("{\"endpoint\":\"" + endpoint + "\"}"));
        assertThat(r.status()).as("%s: %s", endpoint, r.body()).isEqualTo(200);
      }
    }
    Reply allowed = ts.client.post("/api/v1/task", ts.newKey(), withWebhook("{\"endpoint\":\"http://127.0.0.1:9/x\"}"));
    assertThat(allowed.status()).as("with REFRAIN_WEBHOOK_ALLOW_PRIVATE=true: %s", allowed.body()).isEqualTo(200);
  }
}
