package dev.refrain.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * One node's meters: a Prometheus registry with the JVM and process binders, handed to whatever
 * records (dispatcher, backends, webhooks, HTTP). Our meters are named `refrain.*` (Prometheus:
 * `refrain_*`, durations in seconds) and carry only low-cardinality tags: never task ids or keys.
 */
public final class Metrics implements AutoCloseable {
  /** Histogram buckets for request-sized durations (HTTP answers, webhook deliveries), 5 ms to 1 min. */
  private static final Duration[] REQUEST_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000);
  /** Histogram buckets for job-sized durations (engine runs, backend attempts, queue waits), 100 ms to 1 h. */
  private static final Duration[] JOB_BUCKETS =
      millis(100, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000);

  /** What a scrape answers: the body and its content type. */
  record Exposition(String contentType, byte[] body) {}

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestTimers requests = new RequestTimers(registry);
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The HTTP request timers, for every route. */
  public RequestTimers requests() {
    return requests;
  }

  /** A timer with histogram buckets for requests, so Prometheus can compute quantiles. */
  public static Timer.Builder requestTimer(String name) {
    return Timer.builder(name).serviceLevelObjectives(REQUEST_BUCKETS);
  }

  /** A timer with histogram buckets for jobs that take seconds to minutes. */
  public static Timer.Builder jobTimer(String name) {
    return Timer.builder(name).serviceLevelObjectives(JOB_BUCKETS);
  }

  /** Every meter now, in the format an Accept header asks for: OpenMetrics, protobuf, else the Prometheus text format. */
  Exposition scrape(String accept) throws IOException {
    ExpositionFormatWriter writer = formats.findWriter(accept);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    writer.write(out, registry.getPrometheusRegistry().scrape());
    return new Exposition(writer.getContentType(), out.toByteArray());
  }

  private static Duration[] millis(long... ms) {
    return Arrays.stream(ms).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
