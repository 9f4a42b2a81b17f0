package dev.refrain.auth;

import dev.refrain.core.ApiError;
import io.javalin.config.JavalinConfig;

/** Once the server is stopping, every call but the health check answers 503 with a Retry-After. */
public final class ShutdownGate {
  private volatile boolean stopping;

  /** A before-handler: it must come first, so a stopping server refuses before it authenticates. */
  public void configure(JavalinConfig config) {
    config.routes.before(ctx -> {
      if (!ctx.path().startsWith("/healthz")) refuseWhileStopping();
    });
  }

  /** From now on every API call answers 503: the server is stopping. */
  public void stop() {
    stopping = true;
  }

  public boolean stopping() {
    return stopping;
  }

  /** 503 with a Retry-After once the server is stopping. */
  public void refuseWhileStopping() {
    if (stopping) throw new ApiError(503, "server is shutting down; retry shortly", 5);
  }
}
