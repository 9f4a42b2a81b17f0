package dev.refrain.docs;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.eclipse.jetty.util.StringUtil;

/**
 * The OpenAPI document as one page to read: operations grouped by tag, each with its parameters,
 * request and responses (schemas and examples), then the webhooks and the schemas. Rendered once,
 * on the server. No script and nothing fetched: the one inline style is allowed by its hash in the
 * Content-Security-Policy, and nothing else may load.
 */
record DocsPage(String html, String contentSecurityPolicy) {
  private static final String ERROR_SCHEMA = "#/components/schemas/Error";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Parser MARKDOWN = Parser.builder().build();
  private static final HtmlRenderer BLOCK = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
  private static final HtmlRenderer INLINE = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).omitSingleParagraphP(true).build();
  /** `"key": value`, as people write JSON. */
  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
  /** Nested schemas are drawn inline this deep; deeper ones are named and linked. */
  private static final int MAX_DEPTH = 4;
  /** The page's one style, read once: the Content-Security-Policy allows exactly these bytes by their hash. */
  private static final String STYLE = new String(ClasspathResource.read("/docs/docs.css"), StandardCharsets.UTF_8);

  static DocsPage of(JsonNode doc) {
    String html = new Renderer(doc).page();
    return new DocsPage(html, "default-src 'none'; style-src '" + sha256(STYLE) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  }

  private static String sha256(String s) {
    try {
      return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  /** One pass over the document into HTML. */
  private static final class Renderer {
    private final JsonNode doc;
    private final StringBuilder out = new StringBuilder(256 * 1024);

    Renderer(JsonNode doc) {
      this.doc = doc;
    }

    String page() {
      JsonNode info = doc.path("info");
      out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
          .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
          .append("<title>").append(esc(info.path("title").asText())).append(" API</title>")
          .append("<style>").append(STYLE).append("</style></head><body><div class=\"layout\">");
      nav();
      out.append("<main><h1>").append(esc(info.path("title").asText())).append(" API <span class=\"type\">")
          .append(esc(info.path("version").asText())).append("</span></h1>");
      if (info.has("summary")) out.append("<p class=\"summary\">").append(inline(info.path("summary").asText())).append("</p>");
      out.append("<p><a href=\"openapi.json\">openapi.json</a>: this page's OpenAPI ").append(esc(doc.path("openapi").asText()))
          .append(" document, for client generators and tools.</p>");
      out.append(markdown(info.path("description").asText("")));
      security();
      for (JsonNode tag : doc.path("tags")) {
        String name = tag.path("name").asText();
        List<Op> ops = operations(name);
        if (ops.isEmpty()) continue;
        out.append("<h2 id=\"tag-").append(slug(name)).append("\">").append(esc(name)).append("</h2>")
            .append(markdown(tag.path("description").asText("")));
        ops.forEach(this::operation);
      }
      out.append("<h2 id=\"schemas\">Schemas</h2>");
      doc.path("components").path("schemas").properties().forEach(e -> namedSchema(e.getKey(), e.getValue()));
      out.append("</main></div></body></html>\n");
      return out.toString();
    }

    /** An operation: where it lives ({@code webhook} for the ones we send), and its object. */
    private record Op(String method, String path, boolean webhook, JsonNode op, JsonNode pathItem) {
      String id() {
        return op.path("operationId").asText(method + "-" + path);
      }
    }

    private List<Op> operations(String tag) {
      List<Op> ops = new ArrayList<>();
      collect(doc.path("paths"), false, tag, ops);
      collect(doc.path("webhooks"), true, tag, ops);
      return ops;
    }

    private static void collect(JsonNode items, boolean webhook, String tag, List<Op> into) {
      items.properties().forEach(p -> p.getValue().properties().forEach(m -> {
        if (!METHODS.contains(m.getKey())) return;
        for (JsonNode t : m.getValue().path("tags")) {
          if (t.asText().equals(tag)) into.add(new Op(m.getKey(), p.getKey(), webhook, m.getValue(), p.getValue()));
        }
      }));
    }

    private void nav() {
      out.append("<nav><ul><li><a href=\"#\">Introduction</a></li><li><a href=\"#auth\">Authentication</a></li></ul>");
      for (JsonNode tag : doc.path("tags")) {
        String name = tag.path("name").asText();
        List<Op> ops = operations(name);
        if (ops.isEmpty()) continue;
        out.append("<div class=\"tag\"><a href=\"#tag-").append(slug(name)).append("\">").append(esc(name)).append("</a></div><ul>");
        for (Op op : ops) {
          out.append("<li><a href=\"#op-").append(slug(op.id())).append("\">")
              .append(esc(op.op().path("summary").asText(op.method().toUpperCase() + " " + op.path()))).append("</a></li>");
        }
        out.append("</ul>");
      }
      out.append("<div class=\"tag\"><a href=\"#schemas\">Schemas</a></div></nav>");
    }

    private void security() {
      out.append("<h2 id=\"auth\">Authentication</h2><table><tr><th>scheme</th><th>how</th><th></th></tr>");
      doc.path("components").path("securitySchemes").properties().forEach(e -> {
        JsonNode s = e.getValue();
        String how = s.path("type").asText().equals("apiKey")
            ? "header <code>" + esc(s.path("name").asText()) + "</code>"
            : "<code>Authorization: " + esc(capitalize(s.path("scheme").asText())) + " &lt;key&gt;</code>";
        out.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td>").append(how).append("</td><td>")
            .append(inline(s.path("description").asText(""))).append("</td></tr>");
      });
      out.append("</table>");
    }

    private void operation(Op o) {
      JsonNode op = o.op();
      out.append("<section class=\"op\" id=\"op-").append(slug(o.id())).append("\"><h3><span class=\"method ")
          .append(esc(o.method())).append("\">").append(esc(o.method())).append("</span><code>")
          .append(o.webhook() ? "your endpoint" : esc(o.path())).append("</code>");
      if (op.path("x-beyond-piapi").asBoolean()) out.append(badge());
      out.append("</h3>");
      if (op.has("summary")) out.append("<p class=\"summary\">").append(inline(op.path("summary").asText())).append("</p>");
      if (!o.webhook()) out.append("<p class=\"auth\">").append(auth(op)).append("</p>");
      out.append(markdown(op.path("description").asText("")));

      List<JsonNode> params = new ArrayList<>();
      o.pathItem().path("parameters").forEach(p -> params.add(resolve(p)));
      op.path("parameters").forEach(p -> params.add(resolve(p)));
      if (!params.isEmpty()) {
        out.append("<h4>").append(o.webhook() ? "Headers we send" : "Parameters").append("</h4>")
            .append("<table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>");
        for (JsonNode p : params) {
          out.append("<tr><td><code>").append(esc(p.path("name").asText())).append("</code>")
              .append(p.path("required").asBoolean() ? "<span class=\"req\">required</span>" : "").append("</td><td>")
              .append(esc(p.path("in").asText())).append("</td><td class=\"type\">").append(type(p.path("schema"))).append("</td><td>")
              .append(p.path("x-beyond-piapi").asBoolean() ? badge() + " " : "").append(markdown(p.path("description").asText("")));
          if (p.has("example")) out.append("<p>Example: <code>").append(esc(text(p.path("example")))).append("</code></p>");
          out.append("</td></tr>");
        }
        out.append("</table>");
      }

      JsonNode body = resolve(op.path("requestBody"));
      if (!body.isMissingNode()) {
        out.append("<h4>").append(o.webhook() ? "Body we send" : "Request body").append("</h4>");
        out.append(markdown(body.path("description").asText("")));
        content(body.path("content"));
      }

      out.append("<h4>").append(o.webhook() ? "Your answer" : "Responses").append("</h4>");
      List<Map.Entry<String, JsonNode>> errors = new ArrayList<>();
      op.path("responses").properties().forEach(e -> {
        if (isError(resolve(e.getValue()))) errors.add(e);
        else response(e.getKey(), resolve(e.getValue()));
      });
      if (!errors.isEmpty()) errors(errors);
      out.append("</section>");
    }

    /** A response in the shared error envelope: those are shown once per operation, as one table. */
    private boolean isError(JsonNode response) {
      return response.path("content").path("application/json").path("schema").path("$ref").asText().equals(ERROR_SCHEMA);
    }

    private void errors(List<Map.Entry<String, JsonNode>> errors) {
      out.append("<h4>Errors</h4><p>Each in the <a href=\"#schema-Error\">Error</a> envelope, its <code>code</code> the status.</p>")
          .append("<table><tr><th>status</th><th>when</th><th>for example</th></tr>");
      for (Map.Entry<String, JsonNode> e : errors) {
        JsonNode r = resolve(e.getValue());
        out.append("<tr><td class=\"status\">").append(esc(e.getKey())).append("</td><td>").append(inline(r.path("description").asText("")));
        out.append("</td><td><code>").append(esc(r.path("content").path("application/json").path("example").path("message").asText(""))).append("</code></td></tr>");
      }
      out.append("</table>");
    }

    private String auth(JsonNode op) {
      JsonNode security = op.has("security") ? op.path("security") : doc.path("security");
      if (security.isEmpty()) return "No key needed.";
      List<String> ways = new ArrayList<>();
      for (JsonNode requirement : security) requirement.fieldNames().forEachRemaining(n -> ways.add("<a href=\"#auth\"><code>" + esc(n) + "</code></a>"));
      return "Key: " + String.join(" or ", ways) + ".";
    }

    private void response(String status, JsonNode r) {
      out.append("<div class=\"response\"><span class=\"status\">").append(esc(status)).append("</span> ")
          .append(inline(r.path("description").asText("")));
      if (r.has("headers")) {
        out.append("<table><tr><th>header</th><th>type</th><th>description</th></tr>");
        r.path("headers").properties().forEach(h -> {
          JsonNode header = resolve(h.getValue());
          out.append("<tr><td><code>").append(esc(h.getKey())).append("</code></td><td class=\"type\">").append(type(header.path("schema")))
              .append("</td><td>").append(inline(header.path("description").asText(""))).append("</td></tr>");
        });
        out.append("</table>");
      }
      content(r.path("content"));
      out.append("</div>");
    }

    /** Each media type: its schema, the events of a stream, and its examples. */
    private void content(JsonNode content) {
      content.properties().forEach(e -> {
        JsonNode media = e.getValue();
        out.append("<p><code>").append(esc(e.getKey())).append("</code>: <span class=\"type\">").append(type(media.path("schema")))
            .append("</span></p>");
        JsonNode schema = media.path("schema");
        if (schema.has("description") && !schema.has("$ref")) out.append(markdown(schema.path("description").asText()));
        properties(resolve(schema), 0);
        if (media.has("x-events")) {
          out.append("<table><tr><th>event</th><th>data</th></tr>");
          media.path("x-events").properties().forEach(ev -> out.append("<tr><td><code>").append(esc(ev.getKey()))
              .append("</code></td><td class=\"type\">").append(type(ev.getValue())).append("</td></tr>"));
          out.append("</table>");
        }
        if (media.has("example")) example("Example", media.path("example"), true);
        boolean first = true;
        for (var x : media.path("examples").properties()) {
          JsonNode ex = resolve(x.getValue());
          example("Example: " + ex.path("summary").asText(x.getKey()), ex.path("value"), first);
          first = false;
        }
      });
    }

    private void example(String title, JsonNode value, boolean open) {
      out.append(open ? "<details open><summary>" : "<details><summary>").append(esc(title)).append("</summary><pre><code>")
          .append(esc(value.isTextual() ? value.asText() : pretty(value))).append("</code></pre></details>");
    }

    private void namedSchema(String name, JsonNode s) {
      out.append("<section class=\"op\" id=\"schema-").append(slug(name)).append("\"><h3>").append(esc(name))
          .append(" <span class=\"type\">").append(type(withoutDescription(s))).append("</span></h3>")
          .append(markdown(s.path("description").asText("")));
      properties(s, 0);
      for (JsonNode ex : s.path("examples")) example("Example", ex, true);
      out.append("</section>");
    }

    /** The property table of an object schema (with those of its allOf parts), nested objects inside. */
    private void properties(JsonNode s, int depth) {
      List<Map.Entry<String, JsonNode>> props = new ArrayList<>();
      List<String> required = new ArrayList<>();
      gather(s, props, required);
      if (props.isEmpty()) return;
      out.append("<table><tr><th>field</th><th>type</th><th>description</th></tr>");
      for (Map.Entry<String, JsonNode> p : props) {
        JsonNode ps = p.getValue();
        out.append("<tr><td><code>").append(esc(p.getKey())).append("</code>")
            .append(required.contains(p.getKey()) ? "<span class=\"req\">required</span>" : "")
            .append("</td><td class=\"type\">").append(type(ps)).append("</td><td>")
            .append(ps.path("x-beyond-piapi").asBoolean() ? badge() + " " : "")
            .append(markdown(ps.path("description").asText(ps.has("$ref") ? resolve(ps).path("description").asText("") : "")));
        if (!ps.has("$ref") && depth < MAX_DEPTH) {
          properties(ps, depth + 1);
          if (ps.path("items").isObject() && !ps.path("items").has("$ref")) properties(ps.path("items"), depth + 1);
        }
        out.append("</td></tr>");
      }
      out.append("</table>");
    }

    private void gather(JsonNode s, List<Map.Entry<String, JsonNode>> props, List<String> required) {
      s.path("properties").properties().forEach(props::add);
      s.path("required").forEach(r -> required.add(r.asText()));
      for (JsonNode part : s.path("allOf")) gather(resolve(part), props, required);
    }

    /** A short type: a link to a named schema, a constant, an enum, a type with its format and bounds, or a union. */
    private String type(JsonNode s) {
      if (s.isMissingNode() || s.isEmpty()) return "any";
      List<String> parts = new ArrayList<>();
      if (s.has("$ref")) parts.add(link(s.path("$ref").asText()));
      if (s.has("const")) parts.add("= " + esc(Json.write(s.path("const"))));
      if (s.has("enum")) {
        List<String> vs = new ArrayList<>();
        s.path("enum").forEach(v -> vs.add(esc(Json.write(v))));
        parts.add("one of " + String.join(", ", vs));
      }
      if (s.has("type")) {
        List<String> ts = new ArrayList<>();
        if (s.path("type").isArray()) s.path("type").forEach(t -> ts.add(t.asText()));
        else ts.add(s.path("type").asText());
        String t = esc(String.join(" or ", ts));
        if (s.has("items")) t = "array of " + type(s.path("items"));
        if (s.path("additionalProperties").isObject()) t = "map of " + type(s.path("additionalProperties"));
        if (!s.has("const") && !s.has("enum")) parts.add(t);
      }
      for (String k : List.of("oneOf", "anyOf")) {
        if (!s.has(k)) continue;
        List<String> alts = new ArrayList<>();
        s.path(k).forEach(a -> alts.add(type(a)));
        parts.add((k.equals("oneOf") ? "one of " : "any of ") + String.join(" | ", alts));
      }
      List<String> bounds = new ArrayList<>();
      if (s.has("format")) bounds.add(esc(s.path("format").asText()));
      range(s, "minimum", "maximum", "").ifPresent(bounds::add);
      range(s, "minLength", "maxLength", " chars").ifPresent(bounds::add);
      if (s.has("pattern")) bounds.add("<code>" + esc(s.path("pattern").asText()) + "</code>");
      if (s.has("default")) bounds.add("default " + esc(Json.write(s.path("default"))));
      String props = s.path("properties").isObject() && !s.has("$ref") && !s.has("type") ? "object" : "";
      String head = parts.isEmpty() ? props : String.join(", ", parts);
      return bounds.isEmpty() ? head : head + " (" + String.join(", ", bounds) + ")";
    }

    /** {@code 1…10}, {@code ≥ 1} or {@code ≤ 10}, with a unit. */
    private static Optional<String> range(JsonNode s, String min, String max, String unit) {
      if (!s.has(min) && !s.has(max)) return Optional.empty();
      String r = !s.has(max) ? "≥ " + s.path(min).asText() : !s.has(min) ? "≤ " + s.path(max).asText()
          : s.path(min).asText() + "…" + s.path(max).asText();
      return Optional.of(esc(r + unit));
    }

    private String link(String ref) {
      String name = ref.substring(ref.lastIndexOf('/') + 1);
      return ref.startsWith("#/components/schemas/") ? "<a href=\"#schema-" + slug(name) + "\">" + esc(name) + "</a>" : esc(name);
    }

    /** The object a local {@code $ref} points at, or the node itself. */
    private JsonNode resolve(JsonNode node) {
      String ref = node.path("$ref").asText("");
      return ref.startsWith("#/") ? doc.at(ref.substring(1)) : node;
    }
  }

  /** The schema's own type line, without what the section around it shows in full. */
  private static JsonNode withoutDescription(JsonNode s) {
    ObjectNode copy = s.deepCopy();
    copy.remove(List.of("description", "examples", "properties", "required"));
    return copy;
  }

  private static String badge() {
    return "<span class=\"badge\">beyond PiAPI</span>";
  }

  private static String markdown(String md) {
    return md.isBlank() ? "" : BLOCK.render(MARKDOWN.parse(md));
  }

  private static String inline(String md) {
    return md.isBlank() ? "" : INLINE.render(MARKDOWN.parse(md)).strip();
  }

  private static String pretty(JsonNode value) {
    try {
      return Json.MAPPER.writer(PRETTY).writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree always writes
    }
  }

  private static String text(JsonNode v) {
    return v.isTextual() ? v.asText() : Json.write(v);
  }

  private static String esc(String s) {
    return StringUtil.sanitizeXmlString(s);
  }

  private static String slug(String s) {
    return s.replaceAll("[^A-Za-z0-9_-]+", "-");
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
