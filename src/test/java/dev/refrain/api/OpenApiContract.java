package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import dev.refrain.core.Json;
import dev.refrain.docs.OpenApiDocs;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The OpenAPI document as a test oracle: every real answer is held to what the document promises
 * for it (status, content type, headers, body), and the operations answered are counted.
 */
final class OpenApiContract {
  /** The document's location for the schema registry; `$ref`s inside resolve against it. */
  private static final String LOCATION = "classpath:" + OpenApiDocs.RESOURCE.substring(1);
  private static final Set<String> DOCUMENT_FIELDS =
      Set.of("openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security", "tags", "externalDocs");

  /** A documented operation: method, path template, and where it is in the document. */
  record Operation(String method, String template, SchemaLocation location, JsonNode node) {
    String name() {
      return method.toUpperCase(Locale.ROOT) + " " + template;
    }
  }

  final JsonNode doc;
  private final SchemaRegistry registry;
  private final Set<String> answered = ConcurrentHashMap.newKeySet();

  private OpenApiContract(JsonNode doc) {
    this.doc = doc;
    // The OpenAPI 3.1 dialect knows `discriminator` and `example`; formats (uuid, uri, date-time) are asserted, not just
    // noted; and a keyword it doesn't know is a typo, unless it is an extension or the document's own (its root is read too).
    Dialect strict = Dialect.builder(Dialects.getOpenApi31()).unknownKeywordFactory((name, context) -> {
      if (name.startsWith("x-") || DOCUMENT_FIELDS.contains(name)) return new AnnotationKeyword(name);
      throw new AssertionError("'" + name + "' is no JSON Schema or OpenAPI keyword");
    }).build();
    this.registry = SchemaRegistry.withDialect(strict, b -> b.schemas(Map.of(LOCATION, Json.write(doc)))
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  static OpenApiContract load() {
    return new OpenApiContract(Json.parseOrNull(OpenApiDocs.document()));
  }

  /** Operations answered so far, by {@link Operation#name()}. */
  Set<String> answered() {
    return answered;
  }

  /** Every operation of the document's paths. */
  List<Operation> operations() {
    List<Operation> ops = new ArrayList<>();
    doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
      if (m.getValue().has("responses")) {
        ops.add(new Operation(m.getKey(), p.getKey(), root().append("paths").append(p.getKey()).append(m.getKey()), m.getValue()));
      }
    }));
    return ops;
  }

  /** The operation that serves a concrete request path: one segment per parameter, or failing that, a last one with slashes. */
  Optional<Operation> operation(String method, String path) {
    for (boolean slashes : new boolean[] {false, true}) {
      for (Operation op : operations()) {
        if (op.method().equalsIgnoreCase(method) && template(op.template(), slashes).matcher(path).matches()) return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  private static Pattern template(String template, boolean lastTakesSlashes) {
    String[] parts = template.split("(?=\\{)|(?<=\\})");
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      boolean param = parts[i].startsWith("{");
      re.append(!param ? Pattern.quote(parts[i]) : lastTakesSlashes && i == parts.length - 1 ? ".+" : "[^/]+");
    }
    return Pattern.compile(re.toString());
  }

  /** Checks an answer of a documented operation; the operation is found from the request's method and path. */
  void check(HttpResponse<byte[]> r) {
    check(r, r.body());
  }

  /** The same for an answer whose body was read apart (an event stream: its events are checked by the caller). */
  void check(HttpResponse<?> r, byte[] body) {
    String method = r.request().method();
    String path = r.request().uri().getRawPath();
    Operation op = operation(method, path).orElseThrow(() -> new AssertionError("no documented operation serves " + method + " " + path));
    String status = Integer.toString(r.statusCode());
    JsonNode responses = op.node().path("responses");
    String key = responses.has(status) ? status : status.charAt(0) + "XX";
    assertThat(responses.has(key)).as("%s documents status %s (answered: %s)", op.name(), status,
        new String(body, StandardCharsets.UTF_8)).isTrue();
    answered.add(op.name());
    checkResponse(op.name() + " " + status, op.location().append("responses").append(key), r, body);
  }

  /** Checks an answer no operation gives (unknown path, method not allowed) against a shared response of the components. */
  void checkShared(String responseName, HttpResponse<byte[]> r) {
    checkResponse(responseName, root().append("components").append("responses").append(responseName), r, r.body());
  }

  private void checkResponse(String what, SchemaLocation at, HttpResponse<?> r, byte[] bytes) {
    at = followRefs(at);
    JsonNode response = node(at);
    for (var h : response.path("headers").properties()) {
      SchemaLocation header = followRefs(at.append("headers").append(h.getKey()));
      Optional<String> value = r.headers().firstValue(h.getKey());
      if (value.isPresent()) {
        assertValid(what + " header " + h.getKey(), header.append("schema"), headerValue(value.get(), node(header).path("schema")));
      }
    }
    JsonNode content = response.path("content");
    if (r.request().method().equals("HEAD") || bytes.length == 0 && content.isEmpty()) return;
    String type = r.headers().firstValue("Content-Type").orElse("").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    assertThat(content.has(type)).as("%s documents content type '%s' (documented: %s)", what, type, Json.write(content)).isTrue();
    if (type.equals("application/json")) {
      JsonNode body = Json.parseOrNull(bytes);
      assertThat(body).as("%s answers JSON", what).isNotNull();
      assertValid(what, at.append("content").append(type).append("schema"), body);
      if (r.statusCode() >= 400) assertThat(body.path("code").asInt()).as("%s: code is the status", what).isEqualTo(r.statusCode());
    }
  }

  /** The location itself, or where its `$ref` (and theirs) lead. */
  private SchemaLocation followRefs(SchemaLocation at) {
    while (node(at).has("$ref")) at = local(node(at).path("$ref").asText());
    return at;
  }

  /** A header's text as the JSON value its schema describes: a number for numeric schemas, else a string. */
  private static JsonNode headerValue(String v, JsonNode schema) {
    String type = schema.path("type").asText("");
    if (type.equals("integer") || type.equals("number")) {
      JsonNode n = Json.parseOrNull(v.getBytes());
      return n != null && n.isNumber() ? n : TextNode.valueOf(v);
    }
    return TextNode.valueOf(v);
  }

  /** Fails with every schema error of {@code value} against the schema at {@code at}. */
  void assertValid(String what, SchemaLocation at, JsonNode value) {
    assertThat(errors(at, value)).as("%s: %s against %s", what, Json.write(value), at).isEmpty();
  }

  List<String> errors(SchemaLocation at, JsonNode value) {
    return schema(at).validate(value).stream().map(Object::toString).toList();
  }

  /** The schema at a location, read (and so checked for unknown keywords) with all it contains. */
  Schema schema(SchemaLocation at) {
    return registry.getSchema(at);
  }

  /** The location of a `#/...` reference inside the document. */
  SchemaLocation local(String ref) {
    assertThat(ref).as("only local references").startsWith("#/");
    SchemaLocation at = root();
    for (String token : ref.substring(2).split("/")) at = at.append(token.replace("~1", "/").replace("~0", "~"));
    return at;
  }

  SchemaLocation root() {
    return SchemaLocation.of(LOCATION);
  }

  /** The document's node at a location made by {@link #root()} and appends. */
  JsonNode node(SchemaLocation at) {
    JsonNode n = doc;
    for (int i = 0; i < at.getFragment().getNameCount(); i++) n = n.path(at.getFragment().getName(i));
    return n;
  }
}
