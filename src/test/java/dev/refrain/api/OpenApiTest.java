package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.sun.net.httpserver.HttpServer;
import dev.refrain.core.InputFields;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import dev.refrain.docs.OpenApiDocs;
import dev.refrain.testing.Api;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.RunsOnce;
import dev.refrain.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document tells the truth: it is valid OpenAPI 3.1, it names every route the server
 * serves, and every endpoint's real answers (successes and the main errors) have a status, content
 * type, headers and body that it documents for them.
 */
// Runs once, in the default execution: the document is the same whatever store the server has.
@RunsOnce
class OpenApiTest {
  private static final OpenApiContract contract = OpenApiContract.load();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String UNKNOWN_TASK = "00000000-0000-4000-8000-000000000000";
  private static TestServer ts;
  private static Api api;
  private static String key;

  @BeforeAll
  static void start() throws IOException {
    ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_MAX_WAIT", "2s", "REFRAIN_MAX_PENDING_PER_KEY", "2",
        "REFRAIN_MAX_BODY_BYTES", "300000", "REFRAIN_MAX_UPLOAD_BYTES", "100000"));
    api = ts.client;
    key = ts.newKey();
  }

  @AfterAll
  static void everyOperationServedHereWasAnsweredAndChecked() {
    List<String> routes = ts.server.routes();
    ts.close();
    Set<String> served = new TreeSet<>();
    for (String route : routes) {
      String[] mp = route.split(" ", 2);
      contract.operation(mp[0], example(mp[1])).ifPresent(op -> served.add(op.name()));
    }
    assertThat(contract.answered()).as("operations exercised by this test").containsAll(served);
  }

  @AfterEach
  void openGate() {
    GateEngine.open();
  }

  // ------------------------------------------------------------------------------------ the document

  @Test
  void theDocumentIsValidOpenApi31() {
    // The official schema of OpenAPI 3.1 documents (with the check that every Schema Object is valid JSON Schema),
    // read from the copy in vertx-openapi's jar: nothing is fetched.
    Schema oas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaIdResolvers(r -> r.mapPrefix("https://spec.openapis.org/oas/3.1", "classpath:spec.openapis.org/oas/3.1")))
        .getSchema(SchemaLocation.of("https://spec.openapis.org/oas/3.1/schema-base/2022-10-07"));
    assertThat(oas.validate(contract.doc)).isEmpty();
    assertThat(contract.doc.path("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void everyReferenceResolvesAndOperationIdsAreUnique() {
    List<String> refs = new ArrayList<>();
    walk(contract.doc, (n, at) -> {
      if (n.path("$ref").isTextual()) refs.add(n.path("$ref").asText());
    });
    assertThat(refs).isNotEmpty();
    for (String ref : refs) assertThat(contract.node(contract.local(ref)).isMissingNode()).as("%s resolves", ref).isFalse();

    List<String> ids = new ArrayList<>();
    contract.operations().forEach(op -> ids.add(op.node().path("operationId").asText()));
    contract.doc.path("webhooks").forEach(w -> w.forEach(op -> ids.add(op.path("operationId").asText())));
    assertThat(ids).doesNotContain("").doesNotHaveDuplicates();
  }

  @Test
  void everySchemaUsesOnlyKnownKeywords() {
    List<SchemaLocation> schemas = new ArrayList<>();
    contract.doc.path("components").path("schemas").fieldNames()
        .forEachRemaining(name -> schemas.add(contract.root().append("components").append("schemas").append(name)));
    walk(contract.doc, (n, at) -> {
      if (n.path("schema").isObject()) schemas.add(at.append("schema"));
    });
    schemas.forEach(contract::schema);
    assertThat(schemas).hasSizeGreaterThan(60);
  }

  @Test
  void everyExampleIsValidAgainstItsSchema() {
    List<String> checked = new ArrayList<>();
    walk(contract.doc, (n, at) -> {
      // Media types and parameters: `example` and `examples.*.value` against the sibling `schema`.
      if (n.has("schema") && (n.has("example") || n.has("examples"))) {
        SchemaLocation schema = at.append("schema");
        if (n.has("example")) check(schema, n.path("example"), at, checked);
        n.path("examples").properties().forEach(e -> check(schema, e.getValue().path("value"), at, checked));
      }
      // Schemas: `examples` (an array in JSON Schema) against the schema itself.
      if (n.path("examples").isArray() && !n.has("schema")) n.path("examples").forEach(e -> check(at, e, at, checked));
    });
    assertThat(checked).hasSizeGreaterThan(40);
  }

  private static void check(SchemaLocation schema, JsonNode example, SchemaLocation at, List<String> checked) {
    contract.assertValid("example at " + at, schema, example);
    checked.add(at.toString());
  }

  @Test
  void everyRouteTheServerServesIsDocumented() {
    List<String> routes = ts.server.routes();
    assertThat(routes).contains("POST /api/v1/task", "GET /openapi.json", "GET /docs");
    Set<String> documented = new HashSet<>();
    contract.operations().forEach(op -> documented.add(op.method().toUpperCase() + " " + normal(op.template())));
    for (String route : routes) {
      String[] mp = route.split(" ", 2);
      assertThat(documented).as("the route %s is in openapi.json", route).contains(mp[0] + " " + normal(mp[1]));
    }
  }

  /** Javalin's `{id}` and `<key>` and OpenAPI's `{task_id}` alike, as `{}`. */
  private static String normal(String path) {
    return path.replaceAll("\\{[^}]*}|<[^>]*>", "{}");
  }

  /** A concrete path for a route: parameters filled in. */
  private static String example(String path) {
    return path.replaceAll("\\{[^}]*}|<[^>]*>", "x");
  }

  @Test
  void theDocumentIsServedWithoutAKeyWithEveryInputFieldTheServerReads() throws Exception {
    HttpResponse<byte[]> r = checked(api.send("GET", "/openapi.json", null, null, Map.of()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(OpenApiDocs.document());
    JsonNode schemas = Json.parseOrNull(r.body()).path("components").path("schemas");
    Map<TaskType, String> names = Map.of(TaskType.TXT2AUDIO, "Txt2AudioInput", TaskType.AUDIO2AUDIO, "Audio2AudioInput",
        TaskType.EDIT, "EditInput", TaskType.EXTEND, "ExtendInput");
    names.forEach((type, name) -> {
      List<String> read = new ArrayList<>();
      InputFields.of(type).forEach(f -> {
        read.add(f.name());
        if (f.alias() != null) read.add(f.alias());
      });
      List<String> documented = new ArrayList<>();
      schemas.path(name).path("properties").fieldNames().forEachRemaining(documented::add);
      assertThat(documented).as(name).containsExactlyElementsOf(read);
      assertThat(schemas.path(name).path("examples").size()).as(name + " keeps its examples").isPositive();
    });
  }

  @Test
  void theDocsPageShowsEveryOperationUnderAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<byte[]> r = checked(api.send("GET", "/docs", null, null, Map.of()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    String html = new String(r.body(), StandardCharsets.UTF_8);

    String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).contains("default-src 'none'").doesNotContain("unsafe-inline").doesNotContain("script-src");
    Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
    assertThat(style.find()).isTrue();
    String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(style.group(1).getBytes(StandardCharsets.UTF_8)));
    assertThat(csp).as("the page's one style is allowed by its hash").contains("style-src 'sha256-" + hash + "'");
    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase(" src=");

    for (OpenApiContract.Operation op : contract.operations()) {
      String id = op.node().path("operationId").asText();
      assertThat(html).as("the page has %s", op.name()).contains("id=\"op-" + id + "\"");
    }
    contract.doc.path("components").path("schemas").fieldNames()
        .forEachRemaining(name -> assertThat(html).contains("id=\"schema-" + name + "\""));
    // Descriptions are rendered from Markdown, and examples are shown.
    assertThat(html).contains("<code>x-api-key</code>").contains("&quot;task_type&quot;: &quot;txt2audio&quot;").contains("beyond PiAPI");
  }

  // ------------------------------------------------------------------------------------ tasks

  @Test
  void creatingAndReadingTasksOfEveryTypeAnswerAsDocumented() {
    Api.Reply created = call("POST", "/api/v1/task", key, txt2audio(10), Map.of());
    assertThat(created.status()).isEqualTo(200);
    String id = created.data().path("task_id").asText();
    JsonNode done = awaitChecked(id, key);
    assertThat(done.path("status").asText()).isEqualTo("completed");
    String audio = done.path("output").path("audio_url").asText();

    for (String input : List.of(
        "\"task_type\":\"audio2audio\",\"input\":{\"style_audio\":\"" + audio + "\",\"style_prompt\":\"lofi\"}",
        "\"task_type\":\"edit\",\"input\":{\"audio\":\"" + audio + "\",\"style_prompt\":\"piano\",\"edit_style_prompt\":\"guitar\"}",
        "\"task_type\":\"extend\",\"input\":{\"audio\":\"" + audio + "\",\"right_extend_duration\":5,\"style_prompt\":\"piano\","
            + "\"output_format\":\"wav\",\"seed\":7}")) {
      Api.Reply r = call("POST", "/api/v1/task", key, "{\"model\":\"Qubico/ace-step\"," + input + "}", Map.of());
      assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
      assertThat(awaitChecked(r.data().path("task_id").asText(), key).path("status").asText()).isEqualTo("completed");
    }

    Api.Reply waited = call("GET", "/api/v1/task/" + id, key, null, Map.of("Prefer", "wait=5"));
    assertThat(waited.raw().headers().firstValue("Preference-Applied")).isPresent();
    assertThat(call("GET", "/api/v1/task/" + UNKNOWN_TASK, key, null, Map.of()).status()).isEqualTo(404);
    assertThat(call("GET", "/api/v1/task/" + id, ts.newKey(), null, Map.of()).status()).as("another key's task").isEqualTo(404);
    assertThat(call("GET", "/api/v1/task/" + id, null, null, Map.of()).status()).isEqualTo(401);
    var disabled = ts.newKey(null, null);
    ts.server.keys().setDisabled(disabled.record().id(), true);
    assertThat(call("GET", "/api/v1/task/" + id, disabled.secret(), null, Map.of()).status()).isEqualTo(403);
  }

  @Test
  void aTaskHeldByPreferWaitAnswersAsDocumented() {
    GateEngine.close();
    Api.Reply r = call("POST", "/api/v1/task", key, txt2audio(10), Map.of("Prefer", "wait=1"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("Preference-Applied")).hasValue("wait=1");
    assertThat(r.data().path("status").asText()).isIn("pending", "processing");
    GateEngine.open();
  }

  @Test
  void refusedCreatesAnswerAsDocumented() throws InterruptedException {
    Api.Reply missing = call("POST", "/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"edit\",\"input\":"
        + "{\"audio\":\"http://127.0.0.1:9/a.mp3\",\"style_prompt\":\"x\"}}", Map.of());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.message()).contains("input.edit_style_prompt");
    assertThat(call("POST", "/api/v1/task", key, "<task/>", Map.of("Content-Type", "application/xml")).status()).isEqualTo(415);
    assertThat(call("POST", "/api/v1/task", key, "{\"pad\":\"" + "a".repeat(310_000) + "\"}", Map.of()).status()).isEqualTo(413);
    String inline = Base64.getEncoder().encodeToString(new byte[120_000]);
    Api.Reply tooBig = call("POST", "/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"extend\",\"input\":"
        + "{\"audio\":\"" + inline + "\",\"left_extend_duration\":5,\"style_prompt\":\"x\"}}", Map.of());
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.message()).contains("input.audio");

    var poor = ts.newKey(1_000L, null);
    assertThat(call("POST", "/api/v1/task", poor.secret(), txt2audio(10), Map.of()).status()).isEqualTo(402);

    String k = ts.newKey();
    assertThat(call("POST", "/api/v1/task", k, txt2audio(10), Map.of("Idempotency-Key", "song-1")).status()).isEqualTo(200);
    assertThat(call("POST", "/api/v1/task", k, txt2audio(10), Map.of("Idempotency-Key", "song-1")).status()).isEqualTo(200);
    assertThat(call("POST", "/api/v1/task", k, txt2audio(20), Map.of("Idempotency-Key", "song-1")).status()).isEqualTo(409);
    assertThat(call("POST", "/api/v1/task", null, txt2audio(10), Map.of()).status()).isEqualTo(401);

    GateEngine.close();
    String busy = ts.newKey(null, 1).secret();
    // One runs (held at the gate), two wait: a third waiting one would be over the limit of two.
    awaitProcessing(call("POST", "/api/v1/task", busy, txt2audio(10), Map.of()).data().path("task_id").asText(), busy);
    for (int i = 0; i < 2; i++) assertThat(call("POST", "/api/v1/task", busy, txt2audio(10), Map.of()).status()).isEqualTo(200);
    Api.Reply limited = call("POST", "/api/v1/task", busy, txt2audio(10), Map.of());
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
    call("DELETE", "/api/v1/tasks", busy, null, Map.of());
  }

  @Test
  void cancellingAnswersAsDocumented() {
    GateEngine.close();
    String k = ts.newKey(null, 1).secret();
    String running = call("POST", "/api/v1/task", k, txt2audio(10), Map.of()).data().path("task_id").asText();
    String waiting = call("POST", "/api/v1/task", k, txt2audio(10), Map.of()).data().path("task_id").asText();
    assertThat(call("DELETE", "/api/v1/task/" + running, k, null, Map.of()).status()).isEqualTo(200);
    assertThat(call("DELETE", "/api/v1/task/" + running, k, null, Map.of()).status()).as("already failed").isEqualTo(400);
    assertThat(call("POST", "/api/v1/task/" + waiting + "/cancel", k, "", Map.of()).status()).isEqualTo(200);
    assertThat(call("POST", "/api/v1/task/" + UNKNOWN_TASK + "/cancel", k, "", Map.of()).status()).isEqualTo(404);
    assertThat(call("DELETE", "/api/v1/task/" + UNKNOWN_TASK, k, null, Map.of()).status()).isEqualTo(404);
    assertThat(awaitChecked(waiting, k).path("error").path("message").asText()).contains("cancel");

    call("POST", "/api/v1/task", k, txt2audio(10), Map.of());
    call("POST", "/api/v1/task", k, txt2audio(10), Map.of());
    Api.Reply bulk = call("DELETE", "/api/v1/tasks?created_before=" + (System.currentTimeMillis() / 1000 + 10) + "&model=all", k, null, Map.of());
    assertThat(bulk.status()).isEqualTo(200);
    assertThat(bulk.data().path("count").asInt()).as("the waiting one, and the other if it had not started").isBetween(1, 2);
    assertThat(call("DELETE", "/api/v1/tasks?created_before=soon", k, null, Map.of()).status()).isEqualTo(400);
    assertThat(call("DELETE", "/api/v1/tasks", null, null, Map.of()).status()).isEqualTo(401);
  }

  @Test
  void theEventStreamAnswersAsDocumented() throws Exception {
    String id = call("POST", "/api/v1/task", key, txt2audio(10), Map.of()).data().path("task_id").asText();
    awaitChecked(id, key);
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.base + "/api/v1/task/" + id + "/events"))
        .header("x-api-key", key).build(), HttpResponse.BodyHandlers.ofInputStream());
    // Headers and status as documented; then each event against the schema the document gives its name.
    contract.check(r, new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    SchemaLocation events = contract.operation("GET", "/api/v1/task/" + id + "/events").orElseThrow().location()
        .append("responses").append("200").append("content").append("text/event-stream").append("x-events");
    List<String> names = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String name = null;
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("event:")) name = line.substring(6).trim();
        if (line.startsWith("data:")) {
          assertThat(contract.node(events).has(name)).as("event '%s' is documented", name).isTrue();
          SchemaLocation schema = contract.local(contract.node(events.append(name)).path("$ref").asText());
          contract.assertValid("event " + name, schema, Json.parse(line.substring(5).trim()));
          names.add(name);
        }
      }
    }
    assertThat(names).startsWith("status").contains("progress", "log").endsWith("task");

    assertThat(callRaw("GET", "/api/v1/task/" + UNKNOWN_TASK + "/events", key).statusCode()).isEqualTo(404);
    assertThat(callRaw("GET", "/api/v1/task/" + id + "/events", null).statusCode()).isEqualTo(401);
  }

  // ------------------------------------------------------------------------------------ uploads and files

  @Test
  void uploadsAndFilesAnswerAsDocumented() {
    byte[] bytes = "ID3 not really an mp3, but a file".getBytes(StandardCharsets.UTF_8);
    Api.Reply up = call("POST", "/api/ephemeral_resource", key,
        Json.write(Map.of("file_name", "take.mp3", "file_data", Base64.getEncoder().encodeToString(bytes))), Map.of());
    assertThat(up.status()).isEqualTo(200);
    assertThat(call("POST", "/api/ephemeral_resource", key, Json.write(Map.of("file_name", "take.exe", "file_data", "AAAA")), Map.of())
        .message()).contains("file_name");
    assertThat(call("POST", "/api/ephemeral_resource", key, Json.write(Map.of("file_name", "big.mp3",
        "file_data", Base64.getEncoder().encodeToString(new byte[120_000]))), Map.of()).status()).isEqualTo(413);
    assertThat(call("POST", "/api/ephemeral_resource", key, "file_name=a.mp3", Map.of("Content-Type", "multipart/form-data"))
        .status()).isEqualTo(415);
    assertThat(call("POST", "/api/ephemeral_resource", null, "{}", Map.of()).status()).isEqualTo(401);

    String url = up.data().path("url").asText();
    assertThat(download("GET", url, Map.of()).body()).isEqualTo(bytes);
    HttpResponse<byte[]> part = download("GET", url, Map.of("Range", "bytes=4-6"));
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo("not".getBytes(StandardCharsets.UTF_8));
    assertThat(download("GET", url, Map.of("Range", "bytes=1000-")).statusCode()).isEqualTo(416);
    HttpResponse<byte[]> head = download("HEAD", url, Map.of());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
    assertThat(download("HEAD", url, Map.of("Range", "bytes=0-3")).statusCode()).isEqualTo(206);
    assertThat(download("GET", api.base + "/files/outputs/" + UNKNOWN_TASK + ".mp3", Map.of()).statusCode()).isEqualTo(404);
  }

  // ------------------------------------------------------------------------------------ account, health, the rest

  @Test
  void accountRoutesAnswerAsDocumented() {
    var prepaid = ts.newKey(10_000_000L, 2);
    assertThat(call("GET", "/account/info", prepaid.secret(), null, Map.of()).data().path("plan").asText()).isEqualTo("prepaid");
    assertThat(call("GET", "/account/info", key, null, Map.of()).data().path("plan").asText()).isEqualTo("unlimited");
    assertThat(call("GET", "/account/info", "rk_unknown", null, Map.of()).status()).isEqualTo(401);
    assertThat(call("GET", "/account/active_tasks", key, null, Map.of()).status()).isEqualTo(200);
    assertThat(call("GET", "/account/active_tasks", null, null, Map.of()).status()).isEqualTo(401);

    String k = ts.newKey();
    String id = call("POST", "/api/v1/task", k, txt2audio(10), Map.of()).data().path("task_id").asText();
    awaitChecked(id, k);
    Api.Reply page = call("GET", "/api/open/tasks/histories?page=1&page_size=5&model=all&status=completed&task_type=txt2audio", k, null, Map.of());
    assertThat(page.data().path("tasks").get(0).path("task_id").asText()).isEqualTo(id);
    assertThat(call("GET", "/api/open/tasks/histories?page_size=101", k, null, Map.of()).message()).contains("page_size");
    assertThat(call("GET", "/api/open/tasks/histories?status=done", k, null, Map.of()).message()).contains("status");
    assertThat(call("GET", "/api/open/tasks/histories", null, null, Map.of()).status()).isEqualTo(401);
  }

  @Test
  void usageAnswersAsDocumented() {
    var prepaid = ts.newKey(10_000_000L, null);
    Api.Reply week = call("GET", "/account/usage?days=7", prepaid.secret(), null, Map.of());
    assertThat(week.data().path("points").size()).isEqualTo(7);
    assertThat(call("GET", "/account/usage", key, null, Map.of()).data().path("balance").isNull()).as("unlimited").isTrue();
    assertThat(call("GET", "/account/usage?days=0", key, null, Map.of()).message()).contains("days");
    assertThat(call("GET", "/account/usage", null, null, Map.of()).status()).isEqualTo(401);
  }

  @Test
  void keyManagementAnswersAsDocumented() {
    String admin = ts.server.keys().create("admin", null, null, true).secret();
    String adminId = call("GET", "/account/info", admin, null, Map.of()).data().path("id").asText();
    String path = "/api/v1/admin/keys";
    assertThat(call("GET", path, admin, null, Map.of()).status()).isEqualTo(200);
    Api.Reply created = call("POST", path, admin, "{\"name\":\"bob\",\"credits\":5,\"max_concurrent\":2}", Map.of());
    assertThat(created.status()).isEqualTo(200);
    String bob = created.data().path("key").path("id").asText();
    assertThat(call("POST", path, admin, "{\"credits\":5}", Map.of()).message()).contains("name");
    assertThat(call("POST", path + "/" + bob + "/disable", admin, "", Map.of()).data().path("disabled").asBoolean()).isTrue();
    assertThat(call("POST", path + "/" + bob + "/enable", admin, "", Map.of()).data().path("disabled").asBoolean()).isFalse();
    assertThat(call("POST", path + "/" + bob + "/credits", admin, "{\"credits\":2.5}", Map.of()).data().path("balance").asLong())
        .isEqualTo(75_000_000L);
    assertThat(call("POST", path + "/" + adminId + "/credits", admin, "{\"credits\":1}", Map.of()).message()).contains("unlimited");
    assertThat(call("POST", path + "/" + adminId + "/disable", admin, "", Map.of()).status()).as("not itself").isEqualTo(400);
    assertThat(call("POST", path + "/" + UNKNOWN_TASK + "/enable", admin, "", Map.of()).status()).isEqualTo(404);
    assertThat(call("GET", path, key, null, Map.of()).status()).as("not an admin key").isEqualTo(403);
    assertThat(call("GET", path, null, null, Map.of()).status()).isEqualTo(401);
  }

  @Test
  void metricsAndTheWorkspaceAnswerAsDocumented() {
    String admin = ts.server.keys().create("prometheus", null, null, true).secret();
    Api.Reply text = call("GET", "/metrics", admin, null, Map.of());
    assertThat(text.status()).isEqualTo(200);
    Api.Reply open = call("GET", "/metrics", null, null, Map.of("Authorization", "Bearer " + admin,
        "Accept", "application/openmetrics-text; version=1.0.0"));
    assertThat(open.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
    assertThat(call("GET", "/metrics", key, null, Map.of()).status()).isEqualTo(403);
    assertThat(call("GET", "/metrics", null, null, Map.of()).status()).isEqualTo(401);

    // The workspace: the Maven build always puts its bundle on the classpath.
    assertThat(call("GET", "/", null, null, Map.of()).status()).isEqualTo(200);
    assertThat(call("GET", "/index.html", null, null, Map.of()).status()).isEqualTo(200);
  }

  @Test
  void mcpAnswersAsDocumented() throws Exception {
    Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
    String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"openapi-test\",\"version\":\"1\"}}}";
    Api.Reply started = call("POST", "/mcp", key, init, accept);
    assertThat(started.status()).isEqualTo(200);
    assertThat(started.body().path("result").path("serverInfo").path("name").asText()).isNotEmpty();
    String session = started.raw().headers().firstValue("mcp-session-id").orElseThrow();
    Map<String, String> inSession = Map.of("Accept", "application/json, text/event-stream", "mcp-session-id", session);
    assertThat(call("POST", "/mcp", key, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", inSession).status())
        .isEqualTo(202);

    HttpRequest.Builder listen = HttpRequest.newBuilder(URI.create(api.base + "/mcp")).header("x-api-key", key)
        .header("Accept", "text/event-stream").header("mcp-session-id", session);
    HttpResponse<java.io.InputStream> stream = HTTP.send(listen.build(), HttpResponse.BodyHandlers.ofInputStream());
    stream.body().close();
    contract.check(stream, new byte[0]);
    assertThat(stream.statusCode()).isEqualTo(200);

    assertThat(call("POST", "/mcp", null, init, accept).status()).isEqualTo(401);
    assertThat(call("DELETE", "/mcp", key, null, Map.of("mcp-session-id", session)).status()).isEqualTo(200);
    assertThat(call("DELETE", "/mcp", key, null, Map.of("mcp-session-id", session)).status()).isEqualTo(404);
    Api.Reply unknown = call("POST", "/mcp", key, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
        Map.of("Accept", "application/json, text/event-stream", "mcp-session-id", "no-such-session"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().path("message").asText()).contains("no-such-session");
    assertThat(unknown.body().has("stackTrace")).as("the SDK's exception is not echoed").isFalse();
    assertThat(call("POST", "/mcp", key, "{not json", accept).status()).isEqualTo(400);
  }

  @Test
  void healthAndRequestsNoOperationServesAnswerAsDocumented() {
    assertThat(call("GET", "/healthz", null, null, Map.of()).status()).isEqualTo(200);

    Api.Reply unknown = api.get("/no/such/thing", key);
    assertThat(unknown.status()).isEqualTo(404);
    contract.checkShared("NotFound", unknown.raw());
    Api.Reply wrongMethod = api.send("PUT", "/api/v1/task", key, "{}", Map.of());
    assertThat(wrongMethod.status()).isEqualTo(405);
    contract.checkShared("MethodNotAllowed", wrongMethod.raw());
  }

  @Test
  void webhookDeliveriesMatchTheDocumentedWebhook() throws Exception {
    record Delivery(Map<String, String> headers, String body) {}
    List<Delivery> got = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", ex -> {
      Map<String, String> headers = new HashMap<>();
      ex.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
      got.add(new Delivery(headers, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
    try {
      String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      String body = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\",\"duration\":10},"
          + "\"config\":{\"webhook_config\":{\"endpoint\":\"" + hook + "\",\"secret\":\"my-secret\"}}}";
      String id = call("POST", "/api/v1/task", key, body, Map.of()).data().path("task_id").asText();
      awaitChecked(id, key);
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.size() < 3 && System.nanoTime() < end) Thread.sleep(20);
    } finally {
      receiver.stop(0);
    }
    assertThat(got).hasSizeGreaterThanOrEqualTo(3);

    SchemaLocation post = contract.root().append("webhooks").append("taskStatusChanged").append("post");
    SchemaLocation bodySchema = post.append("requestBody").append("content").append("application/json").append("schema");
    JsonNode parameters = contract.node(post.append("parameters"));
    for (Delivery d : got) {
      contract.assertValid("webhook body", bodySchema, Json.parse(d.body()));
      assertThat(d.headers().get("content-type")).startsWith("application/json");
      for (int i = 0; i < parameters.size(); i++) {
        String name = parameters.get(i).path("name").asText();
        // With a secret, every documented header is sent.
        assertThat(d.headers()).as("webhook header %s", name).containsKey(name);
        contract.assertValid("webhook header " + name, post.append("parameters").append(i).append("schema"),
            TextNode.valueOf(d.headers().get(name)));
      }
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private static String txt2audio(int seconds) {
    return "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"calm piano\",\"duration\":" + seconds + "}}";
  }

  /** A request through the test client, its answer checked against the document. */
  private static Api.Reply call(String method, String path, String key, String body, Map<String, String> headers) {
    Api.Reply r = api.send(method, path, key, body, headers);
    contract.check(r.raw());
    return r;
  }

  private static HttpResponse<byte[]> checked(Api.Reply r) {
    contract.check(r.raw());
    return r.raw();
  }

  private static HttpResponse<byte[]> callRaw(String method, String path, String key) {
    return checked(api.send(method, path, key, null, Map.of()));
  }

  private static HttpResponse<byte[]> download(String method, String url, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    try {
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      contract.check(r);
      return r;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitProcessing(String id, String key) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!call("GET", "/api/v1/task/" + id, key, null, Map.of()).data().path("status").asText().equals("processing")) {
      assertThat(System.nanoTime()).as("task %s starts", id).isLessThan(end);
      Thread.sleep(20);
    }
  }

  /** Polls the task until it is completed or failed, checking every answer. */
  private static JsonNode awaitChecked(String id, String key) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode t = call("GET", "/api/v1/task/" + id, key, null, Map.of("Prefer", "wait=2")).data();
      if (t.path("status").asText().matches("completed|failed")) return t;
      assertThat(System.nanoTime()).as("task %s finishes", id).isLessThan(end);
    }
  }

  private interface Visitor {
    void visit(JsonNode node, SchemaLocation at);
  }

  /** Every object node of the document with its location. */
  private static void walk(JsonNode n, Visitor v) {
    walk(n, contract.root(), v);
  }

  private static void walk(JsonNode n, SchemaLocation at, Visitor v) {
    if (n.isObject()) {
      v.visit(n, at);
      n.properties().forEach(e -> walk(e.getValue(), at.append(e.getKey()), v));
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) walk(n.get(i), at.append(i), v);
    }
  }
}
