package dev.refrain.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class RequestTimersTest {
  @Test
  void oneSeriesPerMethodRouteAndStatusAndInventedMethodsShareOne() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RequestTimers timers = new RequestTimers(registry);
    timers.record("GET", "/healthz", 200, 1_000);
    timers.record("GET", "/healthz", 200, 1_000);
    for (int i = 0; i < 100; i++) timers.record("X" + i, "/mcp", 405, 1_000);
    assertThat(registry.get("refrain.http.requests").tag("method", "GET").timer().count()).isEqualTo(2);
    assertThat(registry.get("refrain.http.requests").tag("method", "OTHER").timer().count()).isEqualTo(100);
    assertThat(registry.find("refrain.http.requests").timers()).hasSize(2);
  }
}
