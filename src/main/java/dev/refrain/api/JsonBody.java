package dev.refrain.api;

import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import io.javalin.http.Context;
import java.util.Locale;

/** The Content-Type a JSON request body may come with: 415 for any that says it is something else. */
final class JsonBody {
  private JsonBody() {}

  static void require(Context ctx) {
    String ct = ctx.contentType();
    if (ct == null || ct.isBlank()) return; // many clients send none; the body must still parse
    String base = ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (base.equals("application/json") || base.endsWith("+json") || base.equals("text/plain")) return;
    // `curl -d` labels JSON as a form: take the body if it is JSON all the same.
    if (base.equals("application/x-www-form-urlencoded") && Json.parseOrNull(RequestBody.bytes(ctx)) != null) return;
    throw new ApiError(415, "Content-Type must be application/json (got " + base + ")");
  }
}
