package dev.refrain.docs;

import dev.refrain.core.Json;
import io.javalin.config.JavalinConfig;

/**
 * {@code GET /openapi.json}, the API's OpenAPI 3.1 document, and {@code GET /docs}, the same as a
 * page to read. Both are public: they describe the API, they give no access to it.
 */
public final class OpenApiDocs {
  /** The document, kept by hand next to the code it describes; OpenApiTest holds the two together. */
  public static final String RESOURCE = "/openapi.json";

  private final byte[] document;
  private final DocsPage page;

  public OpenApiDocs() {
    this.document = ClasspathResource.read(RESOURCE);
    this.page = DocsPage.of(Json.parseOrNull(document));
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
