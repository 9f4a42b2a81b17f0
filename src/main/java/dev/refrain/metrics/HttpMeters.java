package dev.refrain.metrics;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request by method, route and status. The route is the matched path template
 * (`/api/v1/task/{id}`), never the raw path, so ids do not multiply the series; a path no route
 * matches is `NOT_FOUND`.
 */
public final class HttpMeters implements RequestLogger {
  static final String UNMATCHED = "NOT_FOUND";

  private final MeterRegistry registry;
  private final JavalinState javalin;

  HttpMeters(MeterRegistry registry, JavalinState javalin) {
    this.registry = registry;
    this.javalin = javalin;
  }

  @Override
  public void handle(Context ctx, Float executionMillis) {
    record(registry, ctx.method().name(), route(ctx), ctx.statusCode(), (long) (executionMillis * 1_000_000.0));
  }

  /** One request, for routes served outside Javalin's router (the MCP servlet) as for those inside. */
  public static void record(MeterRegistry registry, String method, String route, int status, long nanos) {
    Metrics.requestTimer("refrain.http.requests")
        .description("HTTP requests by method, route template and status")
        .tags("method", method, "route", route, "status", Integer.toString(status))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A request refused before its handler ran (401 from the auth filter, say) is looked up in the router. */
  private String route(Context ctx) {
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    if (matched != null) return matched.path;
    ParsedEndpoint would = javalin.internalRouter.findFirstHttpHandlerEntry(ctx.method(), ctx.path());
    return would == null ? UNMATCHED : would.endpoint.path;
  }
}
