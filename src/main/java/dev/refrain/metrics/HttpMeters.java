package dev.refrain.metrics;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;

/**
 * Times every HTTP request by method, route and status. The route is the matched path template
 * (`/api/v1/task/{id}`), never the raw path, so ids do not multiply the series; a path no route
 * matches is `NOT_FOUND`.
 */
public final class HttpMeters implements RequestLogger {
  static final String UNMATCHED = "NOT_FOUND";

  private final RequestTimers timers;
  private final JavalinState javalin;

  HttpMeters(RequestTimers timers, JavalinState javalin) {
    this.timers = timers;
    this.javalin = javalin;
  }

  @Override
  public void handle(Context ctx, Float executionMillis) {
    timers.record(ctx.method().name(), route(ctx), ctx.statusCode(), (long) (executionMillis * 1_000_000.0));
  }

  /** A request refused before its handler ran (401 from the auth filter, say) is looked up in the router. */
  private String route(Context ctx) {
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    if (matched != null) return matched.path;
    ParsedEndpoint would = javalin.internalRouter.findFirstHttpHandlerEntry(ctx.method(), ctx.path());
    return would == null ? UNMATCHED : would.endpoint.path;
  }
}
