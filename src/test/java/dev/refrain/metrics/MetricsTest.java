package dev.refrain.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.refrain.engine.backend.sim.AceStepApiSimulator;
import dev.refrain.testing.Api.Reply;
import dev.refrain.testing.GateEngine;
import dev.refrain.testing.TestServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** /metrics scraped over real HTTP after real tasks, webhook deliveries, backend attempts and requests. */
class MetricsTest {
  private static final String TXT2AUDIO = "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\",\"duration\":10}";

  static String adminKey(TestServer ts) {
    return ts.server.keys().create("prometheus", null, null, true).secret();
  }

  static Scrape scrape(TestServer ts, String key) {
    Reply r = ts.client.get("/metrics", key);
    assertThat(r.status()).as("%s", r.raw().body()).isEqualTo(200);
    return Scrape.parse(new String(r.raw().body(), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Scrapes until {@code done} holds (store gauges are cached for a few seconds; counters move after commits). */
  static Scrape scrapeUntil(TestServer ts, String key, Predicate<Scrape> done, String what) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Scrape s = scrape(ts, key);
      if (done.test(s)) return s;
      if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what + "; last scrape:\n" + s.text());
      Thread.sleep(100);
    }
  }

  static String create(TestServer ts, String key, String config) {
    Reply r = ts.client.post("/api/v1/task", key, TXT2AUDIO + (config == null ? "" : ",\"config\":" + config) + "}");
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.data().path("task_id").asText();
  }

  static String status(TestServer ts, String key, String id) {
    return ts.client.get("/api/v1/task/" + id, key).data().path("status").asText();
  }

  @Test
  void onlyAdminKeysMayScrapeAndTheAnswerIsTheExpositionFormat() throws Exception {
    try (TestServer ts = TestServer.start()) {
      Reply none = ts.client.get("/metrics", null);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.body().path("code").asInt()).isEqualTo(401);

      Reply user = ts.client.get("/metrics", ts.newKey());
      assertThat(user.status()).isEqualTo(403);
      assertThat(user.message()).contains("admin API key");

      String admin = adminKey(ts);
      Reply ok = ts.client.get("/metrics", admin);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain").contains("version=0.0.4");
      Scrape s = Scrape.parse(new String(ok.raw().body(), java.nio.charset.StandardCharsets.UTF_8));
      // JVM and process meters come with every scrape.
      for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
          "process_uptime_seconds", "process_cpu_usage", "system_cpu_count")) {
        assertThat(s.matching(name)).as(name).isNotEmpty();
      }
      assertThat(s.sum("refrain_queue_depth")).isZero();

      // Prometheus' own way of sending the key, and its preferred format when it asks for it.
      Reply bearer = ts.client.send("GET", "/metrics", null, null, Map.of("Authorization", "Bearer " + admin,
          "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"));
      assertThat(bearer.status()).isEqualTo(200);
      assertThat(bearer.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
      assertThat(new String(bearer.raw().body(), java.nio.charset.StandardCharsets.UTF_8)).endsWith("# EOF\n");
    }
  }

  @Test
  void theOperatorMayMakeMetricsPublic() throws Exception {
    try (TestServer ts = TestServer.start(Map.of("REFRAIN_METRICS_PUBLIC", "true"))) {
      assertThat(scrape(ts, null).matching("refrain_queue_depth")).hasSize(1);
    }
  }

  @Test
  void tasksAreCountedByTypeStatusAndOutcome() throws Exception {
    GateEngine.close();
    try (TestServer ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_ENGINE_CONCURRENCY", "1"))) {
      String key = ts.newKey();
      String admin = adminKey(ts);
      List<String> ids = List.of(create(ts, key, null), create(ts, key, null), create(ts, key, null));

      // The gate holds one task on the engine; the other two wait in the queue.
      Scrape held = scrapeUntil(ts, admin, s -> s.sum("refrain_tasks", "status", "processing") == 1
          && s.sum("refrain_queue_depth") == 2, "one task processing and two queued");
      assertThat(held.sum("refrain_tasks", "type", "txt2audio", "status", "pending")).isEqualTo(2);
      assertThat(held.sum("refrain_tasks", "type", "edit", "status", "pending")).isZero();
      assertThat(held.matching("refrain_tasks")).hasSize(16); // every type and status, zeros included
      assertThat(held.sum("refrain_queue_age_seconds")).isPositive();
      assertThat(held.sum("refrain_tasks_accepted_total", "type", "txt2audio")).isEqualTo(3);

      String waiting = ids.stream().filter(id -> status(ts, key, id).equals("pending")).findFirst().orElseThrow();
      assertThat(ts.client.delete("/api/v1/task/" + waiting, key).status()).isEqualTo(200);
      GateEngine.open();
      for (String id : ids) ts.client.await(id, key, Duration.ofSeconds(30));

      Scrape done = scrapeUntil(ts, admin, s -> s.sum("refrain_tasks", "status", "completed") == 2
          && s.sum("refrain_tasks_finished_total", "outcome", "completed") == 2, "two completed tasks");
      assertThat(done.sum("refrain_tasks_finished_total", "type", "txt2audio", "outcome", "completed")).isEqualTo(2);
      assertThat(done.sum("refrain_tasks_finished_total", "type", "txt2audio", "outcome", "cancelled")).isEqualTo(1);
      assertThat(done.sum("refrain_tasks_finished_total", "outcome", "failed")).isZero();
      assertThat(done.sum("refrain_tasks", "type", "txt2audio", "status", "failed")).isEqualTo(1); // the cancelled one
      assertThat(done.sum("refrain_queue_depth")).isZero();
      assertThat(done.sum("refrain_queue_age_seconds")).isZero();

      // Both runs on the engine and both waits in the queue are in the histograms, down to the +Inf bucket.
      String[] run = {"engine", "gate", "type", "txt2audio", "outcome", "completed"};
      assertThat(done.sum("refrain_engine_run_seconds_count", run)).isEqualTo(2);
      assertThat(done.sum("refrain_engine_run_seconds_sum", run)).isPositive();
      assertThat(done.sum("refrain_engine_run_seconds_bucket", concat(run, "le", "+Inf"))).isEqualTo(2);
      assertThat(done.matching("refrain_engine_run_seconds_bucket", run)).hasSizeGreaterThan(10);
      assertThat(done.sum("refrain_queue_wait_seconds_count", "engine", "gate", "type", "txt2audio")).isEqualTo(2);
    } finally {
      GateEngine.open();
    }
  }

  @Test
  void httpRequestsAreTimedByRouteTemplateNeverByRawPath() throws Exception {
    try (TestServer ts = TestServer.start()) {
      String key = ts.newKey();
      String admin = adminKey(ts);
      String unknown = UUID.randomUUID().toString();
      assertThat(ts.client.get("/api/v1/task/" + unknown, key).status()).isEqualTo(404);
      assertThat(ts.client.get("/api/v1/task/" + unknown, key).status()).isEqualTo(404);
      assertThat(ts.client.get("/no/such/" + unknown, key).status()).isEqualTo(404);
      assertThat(ts.client.get("/api/v1/task/" + unknown, null).status()).isEqualTo(401);
      assertThat(ts.client.get("/account/info", key).status()).isEqualTo(200);

      Scrape s = scrapeUntil(ts, admin, x -> x.sum("refrain_http_requests_seconds_count", "route", "/account/info") == 1,
          "the requests to be timed");
      assertThat(s.sum("refrain_http_requests_seconds_count", "method", "GET", "route", "/api/v1/task/{id}", "status", "404")).isEqualTo(2);
      assertThat(s.sum("refrain_http_requests_seconds_count", "method", "GET", "route", "NOT_FOUND", "status", "404")).isEqualTo(1);
      assertThat(s.sum("refrain_http_requests_seconds_count", "method", "GET", "route", "/api/v1/task/{id}", "status", "401")).isEqualTo(1);
      assertThat(s.sum("refrain_http_requests_seconds_count", "method", "GET", "route", "/account/info", "status", "200")).isEqualTo(1);
      assertThat(s.matching("refrain_http_requests_seconds_bucket", "route", "/account/info")).hasSizeGreaterThan(10);
      assertThat(s.text()).doesNotContain(unknown);
    }
  }

  @Test
  void webhookAttemptsAreCountedByOutcomeWithTheirRetries() throws Exception {
    GateEngine.open();
    try (Receiver flaky = new Receiver(n -> n == 1 ? 500 : 200); Receiver broken = new Receiver(n -> 500);
        TestServer ts = TestServer.start(Map.of("REFRAIN_ENGINE", "gate", "REFRAIN_WEBHOOK_MAX_ATTEMPTS", "2"))) {
      String key = ts.newKey();
      String admin = adminKey(ts);
      create(ts, key, "{\"webhook_config\":{\"endpoint\":\"" + flaky.url() + "\"}}");
      create(ts, key, "{\"webhook_config\":{\"endpoint\":\"" + broken.url() + "\"}}");

      // Three events each (pending, processing, completed): the flaky receiver takes every one at the
      // second try; the broken one fails both tries of each, and the sender gives up.
      Scrape s = scrapeUntil(ts, admin, x -> x.sum("refrain_webhook_deliveries_total", "outcome", "delivered") == 3
          && x.sum("refrain_webhook_deliveries_total", "outcome", "gave_up") == 3, "every event settled");
      assertThat(s.sum("refrain_webhook_deliveries_total", "outcome", "failed")).isEqualTo(6);
      assertThat(s.sum("refrain_webhook_retries_total")).isEqualTo(6);
      assertThat(s.sum("refrain_webhook_delivery_seconds_count")).isEqualTo(12);
      assertThat(s.sum("refrain_webhook_delivery_seconds_count", "outcome", "delivered")).isEqualTo(3);
      assertThat(flaky.hits.get() + broken.hits.get()).isEqualTo(12);
    }
  }

  @Test
  void backendAttemptsAreTimedByOutcomeAndHealthIsAGauge() throws Exception {
    try (AceStepApiSimulator gpu = AceStepApiSimulator.start()) {
      gpu.failNext(1);
      Map<String, String> settings = new HashMap<>(Map.of("REFRAIN_BACKEND_GPU_KIND", "acestep-api", "REFRAIN_BACKEND_GPU_URL", gpu.url(),
          "REFRAIN_BACKEND_POLL_INTERVAL", "20ms", "REFRAIN_BACKEND_HEALTH_INTERVAL", "100ms"));
      try (TestServer ts = TestServer.start(settings)) {
        String key = ts.newKey();
        String admin = adminKey(ts);
        String id = create(ts, key, null);
        assertThat(ts.client.await(id, key, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("completed");

        String[] gpuTags = {"backend", "gpu", "kind", "acestep-api"};
        Scrape s = scrapeUntil(ts, admin, x -> x.sum("refrain_engine_run_seconds_count", "engine", "backends") == 1, "the run");
        assertThat(s.sum("refrain_backend_request_seconds_count", concat(gpuTags, "outcome", "failed"))).isEqualTo(1);
        assertThat(s.sum("refrain_backend_request_seconds_count", concat(gpuTags, "outcome", "ok"))).isEqualTo(1);
        assertThat(s.sum("refrain_backend_up", gpuTags)).isEqualTo(1);

        gpu.healthy(false);
        scrapeUntil(ts, admin, x -> x.sum("refrain_backend_up", gpuTags) == 0, "the backend out of rotation");
        gpu.healthy(true);
        scrapeUntil(ts, admin, x -> x.sum("refrain_backend_up", gpuTags) == 1, "the backend back in rotation");
      }
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A webhook receiver on loopback answering the n-th request to it with the chosen status. */
  static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final AtomicInteger hits = new AtomicInteger();
    final Map<String, AtomicInteger> attempts = new java.util.concurrent.ConcurrentHashMap<>();

    Receiver(IntUnaryOperator statusForAttempt) throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/hook", ex -> {
        ex.getRequestBody().readAllBytes();
        hits.incrementAndGet();
        int n = attempts.computeIfAbsent(ex.getRequestHeaders().getFirst("webhook-id"), k -> new AtomicInteger()).incrementAndGet();
        ex.sendResponseHeaders(statusForAttempt.applyAsInt(n), -1);
        ex.close();
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
