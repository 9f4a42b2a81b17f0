package dev.refrain.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code refrain.http.requests}, by method, route template and status. Each series' timer is built
 * and registered once, then reused: building one (tags, histogram config, the registry's lookup)
 * on every request was a measurable part of a fast request's cost.
 */
public final class RequestTimers {
  /** Methods kept as sent; any other token a client invents is counted as OTHER, so it can't add series without end. */
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

  private record Series(String method, String route, int status) {}

  private final MeterRegistry registry;
  private final ConcurrentMap<Series, Timer> timers = new ConcurrentHashMap<>();

  RequestTimers(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One request, for routes served outside Javalin's router (the MCP servlet) as for those inside. */
  public void record(String method, String route, int status, long nanos) {
    Series series = new Series(METHODS.contains(method) ? method : "OTHER", route, status);
    timers.computeIfAbsent(series, s -> Metrics.requestTimer("refrain.http.requests")
        .description("HTTP requests by method, route template and status")
        .tags("method", s.method(), "route", s.route(), "status", Integer.toString(s.status()))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }
}
