package dev.refrain.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.InputFields;
import dev.refrain.core.InputSchema;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import io.javalin.config.JavalinConfig;

/**
 * {@code GET /openapi.json}, the API's OpenAPI 3.1 document, and {@code GET /docs}, the same as a
 * page to read. Both are public: they describe the API, they give no access to it.
 */
public final class OpenApiDocs {
  /**
   * The document, kept by hand next to the code it describes (OpenApiTest holds the two together),
   * all but the task inputs' fields, which {@link #document()} puts in from {@link InputFields}.
   */
  public static final String RESOURCE = "/openapi.json";

  private final byte[] document;
  private final DocsPage page;

  public OpenApiDocs() {
    JsonNode doc = tree();
    this.document = Json.bytes(doc);
    this.page = DocsPage.of(doc);
  }

  /** The document as it is served: the resource, with each task type's input schema made from {@link InputFields}. */
  public static byte[] document() {
    return Json.bytes(tree());
  }

  private static JsonNode tree() {
    JsonNode doc = Json.parseOrNull(ClasspathResource.read(RESOURCE));
    ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
    for (TaskType type : TaskType.values()) {
      String name = switch (type) {
        case TXT2AUDIO -> "Txt2AudioInput";
        case AUDIO2AUDIO -> "Audio2AudioInput";
        case EDIT -> "EditInput";
        case EXTEND -> "ExtendInput";
      };
      // The schema's fields first, then the prose and examples kept in the resource.
      ObjectNode schema = InputSchema.of(type, InputSchema.Reader.OPENAPI);
      schema.setAll((ObjectNode) schemas.get(name));
      schemas.set(name, schema);
    }
    return doc;
  }

  public void configure(JavalinConfig config) {
    config.routes.get("/openapi.json", ctx -> {
      ctx.contentType("application/json");
      ctx.header("Access-Control-Allow-Origin", "*"); // online editors and generators may read it from the browser
      ctx.result(document);
    });
    config.routes.get("/docs", ctx -> {
      ctx.contentType("text/html; charset=utf-8");
      ctx.header("Content-Security-Policy", page.contentSecurityPolicy());
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.header("Referrer-Policy", "no-referrer");
      ctx.result(page.html());
    });
  }
}
