package dev.refrain.auth;

import dev.refrain.core.ApiError;
import dev.refrain.store.KeyRecord;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.function.UnaryOperator;

/**
 * Who is calling: the API key from x-api-key or a Bearer token. Every /api/ and /account/ route is
 * authenticated before it runs; other routes (the MCP endpoint, /metrics) ask for the key themselves.
 */
public final class Authenticator {
  private static final String KEY_ATTR = "refrain.key";

  private final ApiKeys keys;

  public Authenticator(ApiKeys keys) {
    this.keys = keys;
  }

  /** A before-handler: it must come before any handler that reads {@link #key(Context)}. */
  public void configure(JavalinConfig config) {
    config.routes.before(ctx -> {
      String p = ctx.path();
      if (p.startsWith("/api/") || p.startsWith("/account/")) ctx.attribute(KEY_ATTR, authenticate(ctx));
    });
  }

  /** The caller's key: 401 when missing or unknown, 403 when disabled. */
  public KeyRecord authenticate(Context ctx) {
    return authenticate(ctx::header);
  }

  /** The same from any request's headers, looked up by name (routes outside Javalin, such as the MCP endpoint). */
  public KeyRecord authenticate(UnaryOperator<String> header) {
    String secret = header.apply("x-api-key");
    if (secret == null) {
      String auth = header.apply("Authorization");
      if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) secret = auth.substring(7).trim();
    }
    if (secret == null || secret.isBlank()) throw new ApiError(401, "missing API key: send it in the x-api-key header");
    KeyRecord key = keys.lookup(secret.trim()).orElseThrow(() -> new ApiError(401, "invalid API key"));
    if (key.disabled()) throw new ApiError(403, "this API key is disabled");
    return key;
  }

  /** The key the request was authenticated with (every /api/ and /account/ route is). */
  public static KeyRecord key(Context ctx) {
    return ctx.attribute(KEY_ATTR);
  }
}
