package dev.refrain.metrics;

import dev.refrain.auth.Authenticator;
import dev.refrain.core.ApiError;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * `GET /metrics`, the Prometheus exposition: for admin keys (x-api-key, or the bearer token
 * Prometheus sends) unless the operator made it public; and the timer every HTTP request passes.
 */
public final class MetricsApi {
  private final Metrics metrics;
  private final Authenticator auth;
  private final boolean open;

  /** @param open whether anyone may scrape, key or not (REFRAIN_METRICS_PUBLIC) */
  public MetricsApi(Metrics metrics, Authenticator auth, boolean open) {
    this.metrics = metrics;
    this.auth = auth;
    this.open = open;
  }

  public void configure(JavalinConfig config) {
    config.requestLogger.http(new HttpMeters(metrics.requests(), config.unsafe));
    config.routes.get("/metrics", this::scrape);
  }

  private void scrape(Context ctx) throws IOException {
    if (!open && !auth.authenticate(ctx).admin()) {
      throw new ApiError(403, "/metrics needs an admin API key (or REFRAIN_METRICS_PUBLIC=true)");
    }
    Metrics.Exposition e = metrics.scrape(ctx.header("Accept"));
    ctx.status(200);
    ctx.contentType(e.contentType());
    ctx.result(e.body());
  }
}
