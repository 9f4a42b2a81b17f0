package dev.refrain.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's own client for what wrk can't measure: one-at-a-time task lifecycles and webhook
 * delivery delays. Talks to 127.0.0.1 only. Prints human lines and {@code RESULT name value} lines
 * that bench/api/run picks up.
 *
 * <pre>
 *   prepare   BASE KEY                          create one task, wait for it to end, print its id
 *   drain     BASE KEY TIMEOUT_S                wait until the key has no pending/processing task
 *   lifecycle BASE KEY N INTERVAL_MS WARMUP     create→completed from meta.created_at/ended_at
 *   webhook   BASE KEY N INTERVAL_MS WARMUP     completion (meta.ended_at) → arrival of the completed event
 * </pre>
 */
public final class ApiProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "Qubico/ace-step";

  private final String base;
  private final String key;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private ApiProbe(String base, String key) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.key = key;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) usage();
    ApiProbe p = new ApiProbe(args[1], args[2]);
    switch (args[0]) {
      case "prepare" -> p.prepare();
      case "drain" -> p.drain(Integer.parseInt(args[3]));
      case "lifecycle" -> p.lifecycle(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      case "webhook" -> p.webhook(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println("usage: ApiProbe prepare|drain|lifecycle|webhook BASE KEY ...");
    System.exit(2);
  }

  // ---- HTTP helpers ----

  private static String body(String webhookEndpoint) {
    String cfg = webhookEndpoint == null ? ""
        : ",\"config\":{\"webhook_config\":{\"endpoint\":\"" + webhookEndpoint + "\",\"secret\":\"bench-secret\"}}";
    return "{\"model\":\"" + MODEL + "\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"bench tone\",\"duration\":10}"
        + cfg + "}";
  }

  private JsonNode call(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(b.header("x-api-key", key).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode j = JSON.readTree(r.body());
    if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
    return j;
  }

  private String create(String webhookEndpoint) throws IOException, InterruptedException {
    JsonNode j = call(HttpRequest.newBuilder(URI.create(base + "/api/v1/task"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(webhookEndpoint))));
    return j.path("data").path("task_id").asText();
  }

  private JsonNode get(String id) throws IOException, InterruptedException {
    return call(HttpRequest.newBuilder(URI.create(base + "/api/v1/task/" + id)).GET()).path("data");
  }

  /** The task once it ended (completed or failed), polling every 5 ms; throws after the deadline. */
  private JsonNode awaitEnd(String id, long deadlineNanos) throws IOException, InterruptedException {
    while (true) {
      JsonNode t = get(id);
      String s = t.path("status").asText();
      if (s.equals("completed") || s.equals("failed")) return t;
      if (System.nanoTime() > deadlineNanos) throw new IOException("task " + id + " still " + s + " at the deadline");
      Thread.sleep(5);
    }
  }

  private static long micros(String rfc3339) {
    Instant i = Instant.parse(rfc3339);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  private static long nowMicros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  /** Sleeps until the i-th slot of a fixed schedule, so a slow request does not shift the rest. */
  private static void pace(long startNanos, int i, int intervalMs) throws InterruptedException {
    long wait = startNanos + (long) i * intervalMs * 1_000_000L - System.nanoTime();
    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
  }

  // ---- statistics ----

  /** Nearest-rank percentile of values in microseconds, as milliseconds. */
  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return Double.NaN;
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx))) / 1000.0;
  }

  private static void report(String name, String label, List<Long> micros) {
    List<Long> s = new ArrayList<>(micros);
    Collections.sort(s);
    System.out.printf(Locale.ROOT, "  %-44s n=%d  median %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
        label, s.size(), pct(s, 50), pct(s, 90), pct(s, 99), pct(s, 100));
    System.out.printf(Locale.ROOT, "RESULT %s_median_ms %.3f%n", name, pct(s, 50));
    System.out.printf(Locale.ROOT, "RESULT %s_p90_ms %.3f%n", name, pct(s, 90));
    System.out.printf(Locale.ROOT, "RESULT %s_p99_ms %.3f%n", name, pct(s, 99));
    System.out.printf(Locale.ROOT, "RESULT %s_n %d%n", name, s.size());
  }

  // ---- commands ----

  private void prepare() throws Exception {
    String id = create(null);
    awaitEnd(id, System.nanoTime() + 30_000_000_000L);
    System.out.println(id);
  }

  private void drain(int timeoutS) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + timeoutS * 1_000_000_000L;
    long first = -1;
    while (true) {
      JsonNode fam = call(HttpRequest.newBuilder(URI.create(base + "/account/active_tasks")).GET()).path("data").path(MODEL);
      long active = fam.path("pending_count").asLong() + fam.path("processing_count").asLong();
      if (first < 0) first = active;
      double waited = (System.nanoTime() - t0) / 1e9;
      if (active == 0 || System.nanoTime() > deadline) {
        System.out.printf(Locale.ROOT, "RESULT backlog_tasks %d%nRESULT backlog_drain_s %.2f%nRESULT backlog_left %d%n",
            first, waited, active);
        return;
      }
      Thread.sleep(100);
    }
  }

  /** N tasks created one at a time every INTERVAL_MS; create→completed from the task's own timestamps. */
  private void lifecycle(int n, int intervalMs, int warmup) throws Exception {
    List<String> ids = new ArrayList<>();
    List<Long> rtt = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < warmup + n; i++) {
      pace(start, i, intervalMs);
      long t0 = System.nanoTime();
      String id = create(null);
      if (i >= warmup) {
        rtt.add((System.nanoTime() - t0) / 1_000);
        ids.add(id);
      }
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    List<Long> total = new ArrayList<>();
    List<Long> queued = new ArrayList<>();
    List<Long> running = new ArrayList<>();
    int failed = 0;
    for (String id : ids) {
      JsonNode t = awaitEnd(id, deadline);
      if (!t.path("status").asText().equals("completed")) {
        failed++;
        continue;
      }
      JsonNode m = t.path("meta");
      long c = micros(m.path("created_at").asText());
      long s = micros(m.path("started_at").asText());
      long e = micros(m.path("ended_at").asText());
      total.add(e - c);
      queued.add(s - c);
      running.add(e - s);
    }
    System.out.printf(Locale.ROOT, "  %d tasks, one every %d ms (after %d warm-up tasks); %d failed%n", n, intervalMs, warmup, failed);
    report("lifecycle", "created_at -> ended_at (create->completed)", total);
    report("lifecycle_queue", "  created_at -> started_at (queue + claim)", queued);
    report("lifecycle_run", "  started_at -> ended_at (run + complete)", running);
    report("create_rtt", "client round trip of POST /api/v1/task", rtt);
    System.out.printf("RESULT lifecycle_failed %d%n", failed);
  }

  /** Arrival of the `completed` webhook event, compared with the task's meta.ended_at. */
  private void webhook(int n, int intervalMs, int warmup) throws Exception {
    record Arrival(long arrivedMicros, long endedMicros, long createdMicros) {}
    Map<String, Arrival> completed = new ConcurrentHashMap<>();
    Map<String, Integer> perStatus = new ConcurrentHashMap<>();
    // Delay of every first delivery from the status change it announces (created_at, started_at, ended_at).
    Map<String, List<Long>> perStatusDelay = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    Map<String, Boolean> seenIds = new ConcurrentHashMap<>();

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/hook", ex -> {
      long arrived = nowMicros(); // headers are in: this is the attempt's arrival
      byte[] req;
      try (InputStream in = ex.getRequestBody()) {
        req = in.readAllBytes();
      }
      byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, ok.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(ok);
      }
      String hookId = ex.getRequestHeaders().getFirst("webhook-id");
      if (hookId != null && seenIds.putIfAbsent(hookId, true) != null) duplicates.incrementAndGet();
      JsonNode j = JSON.readTree(req).path("data");
      String status = j.path("status").asText();
      perStatus.merge(status, 1, Integer::sum);
      String since = switch (status) {
        case "pending" -> "created_at";
        case "processing" -> "started_at";
        default -> "ended_at";
      };
      String at = j.path("meta").path(since).asText("");
      if (at.startsWith("0001-") || at.isEmpty()) at = j.path("meta").path("created_at").asText();
      perStatusDelay.computeIfAbsent(status, s -> Collections.synchronizedList(new ArrayList<>())).add(arrived - micros(at));
      if (status.equals("completed")) {
        JsonNode m = j.path("meta");
        completed.putIfAbsent(j.path("task_id").asText(),
            new Arrival(arrived, micros(m.path("ended_at").asText()), micros(m.path("created_at").asText())));
      }
    });
    server.start();
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    try {
      List<String> ids = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < warmup + n; i++) {
        pace(start, i, intervalMs);
        String id = create(endpoint);
        if (i >= warmup) ids.add(id);
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline && !ids.stream().allMatch(completed::containsKey)) Thread.sleep(20);
      Thread.sleep(200); // let any straggling duplicate arrive before counting
      List<Long> delay = new ArrayList<>();
      List<Long> endToEnd = new ArrayList<>();
      int missing = 0;
      for (String id : ids) {
        Arrival a = completed.get(id);
        if (a == null) {
          missing++;
          continue;
        }
        delay.add(a.arrivedMicros() - a.endedMicros());
        endToEnd.add(a.arrivedMicros() - a.createdMicros());
      }
      System.out.printf(Locale.ROOT, "  %d tasks with a webhook, one every %d ms (after %d warm-up tasks); events received %s;"
          + " %d duplicate deliveries; %d completed events missing%n", n, intervalMs, warmup, new java.util.TreeMap<>(perStatus),
          duplicates.get(), missing);
      report("webhook", "meta.ended_at -> completed event arrives", delay);
      report("webhook_e2e", "meta.created_at -> completed event arrives", endToEnd);
      System.out.println("  every event, from the status change it announces to its arrival (incl. warm-up and duplicates):");
      for (String st : List.of("pending", "processing", "completed")) {
        List<Long> d = perStatusDelay.get(st);
        if (d != null) {
          synchronized (d) {
            report("webhook_" + st, "  " + st + " (from " + (st.equals("pending") ? "created_at" : st.equals("processing") ? "started_at" : "ended_at") + ")", d);
          }
        }
      }
      System.out.printf("RESULT webhook_missing %d%n", missing);
    } finally {
      server.stop(0);
    }
  }
}
