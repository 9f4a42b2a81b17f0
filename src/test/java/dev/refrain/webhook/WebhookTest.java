package dev.refrain.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.refrain.core.Json;
import dev.refrain.store.WebhookStore;
import dev.refrain.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Webhooks against a real receiver on loopback: events, retries, signatures, persistence. */
class WebhookTest {
  record Hit(String id, String timestamp, String signature, String secretHeader, String body, int answered) {}

  /** A receiver whose answer for the n-th attempt of an event is chosen by the test. */
  static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final List<Hit> hits = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    Receiver(int port, IntUnaryOperator statusForAttempt) throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext("/hook", ex -> {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String id = ex.getRequestHeaders().getFirst("webhook-id");
        int n = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        int status = statusForAttempt.applyAsInt(n);
        hits.add(new Hit(id, ex.getRequestHeaders().getFirst("webhook-timestamp"), ex.getRequestHeaders().getFirst("webhook-signature"),
            ex.getRequestHeaders().getFirst("x-webhook-secret"), body, status));
        ex.sendResponseHeaders(status, -1);
        ex.close();
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Hit> delivered() {
      return hits.stream().filter(h -> h.answered() / 100 == 2).toList();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static String create(TestServer ts, String key, String endpoint, String secret) {
    String cfg = "{\"webhook_config\":{\"endpoint\":\"" + endpoint + "\"" + (secret == null ? "" : ",\"secret\":\"" + secret + "\"") + "}}";
    return ts.client.post("/api/v1/task", key, "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\","
        + "\"duration\":10},\"config\":" + cfg + "}").data().path("task_id").asText();
  }

  static void waitFor(java.util.function.BooleanSupplier cond, Duration timeout, String what) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  /** An independent Standard Webhooks verification (not the server's signer). */
  static boolean verifies(Hit h, String secret) throws Exception {
    byte[] key = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6)) : secret.getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal((h.id() + "." + h.timestamp() + "." + h.body()).getBytes(StandardCharsets.UTF_8)));
    return expected.equals(h.signature());
  }

  @Test
  void everyStatusChangeIsDeliveredSignedAndRetriedWithAStableId() throws Exception {
    String secret = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    try (TestServer ts = TestServer.start(); Receiver rx = new Receiver(0, n -> n <= 2 ? 500 : 200)) {
      String key = ts.newKey();
      String id = create(ts, key, rx.url(), secret);
      ts.client.await(id, key, Duration.ofSeconds(30));
      waitFor(() -> rx.delivered().size() == 3, Duration.ofSeconds(30), "three delivered events");

      List<String> statuses = new ArrayList<>();
      for (Hit h : rx.delivered()) {
        JsonNode body = Json.parse(h.body());
        statuses.add(body.path("data").path("status").asText());
        assertThat(body.path("data").path("task_id").asText()).isEqualTo(id);
        assertThat(body.path("timestamp").asLong()).isPositive();
        // Each event was tried three times under the same webhook-id.
        List<Hit> tries = rx.hits.stream().filter(x -> x.id().equals(h.id())).toList();
        assertThat(tries).hasSize(3);
        assertThat(tries).extracting(Hit::answered).containsExactly(500, 500, 200);
        assertThat(tries).extracting(Hit::body).containsOnly(h.body());
      }
      assertThat(statuses).containsExactlyInAnyOrder("pending", "processing", "completed");
      for (Hit h : rx.hits) {
        assertThat(h.id()).startsWith("msg_");
        assertThat(h.secretHeader()).isEqualTo(secret);
        assertThat(verifies(h, secret)).as("signature of %s", h.id()).isTrue();
        assertThat(Long.parseLong(h.timestamp())).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
      }
      JsonNode completed = rx.delivered().stream().map(h -> Json.parse(h.body()))
          .filter(b -> b.path("data").path("status").asText().equals("completed")).findFirst().orElseThrow();
      assertThat(completed.path("data").path("output").path("audio_url").asText()).contains("/files/outputs/");

      // Every attempt is on record.
      WebhookStore store = new WebhookStore();
      List<WebhookStore.Delivery> ds = ts.server.database().read(c -> store.forTask(c, id));
      assertThat(ds).hasSize(3).allMatch(d -> d.state().equals("delivered") && d.attempts() == 3);
      List<WebhookStore.Attempt> attempts = ts.server.database().read(c -> store.attempts(c, ds.get(0).id()));
      assertThat(attempts).extracting(WebhookStore.Attempt::httpStatus).containsExactly(500, 500, 200);
    }
  }

  @Test
  void aPlainSecretSignsWithItsBytesAndNoSecretSendsNoSignature() throws Exception {
    try (TestServer ts = TestServer.start(); Receiver rx = new Receiver(0, n -> 204)) {
      String key = ts.newKey();
      create(ts, key, rx.url(), "plain-secret");
      create(ts, key, rx.url(), null);
      waitFor(() -> rx.delivered().size() == 6, Duration.ofSeconds(30), "six events");
      assertThat(rx.hits.stream().filter(h -> h.secretHeader() != null)).hasSize(3).allMatch(h -> {
        try {
          return verifies(h, "plain-secret");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(rx.hits.stream().filter(h -> h.secretHeader() == null)).hasSize(3).allMatch(h -> h.signature() == null);
    }
  }

  @Test
  void aReceiverThatNeverAnswersDoesNotSlowTasks() throws Exception {
    try (ServerSocket blackHole = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        TestServer ts = TestServer.start(Map.of("REFRAIN_WEBHOOK_TIMEOUT", "30s"))) {
      String key = ts.newKey();
      long t0 = System.nanoTime();
      String id = create(ts, key, "http://127.0.0.1:" + blackHole.getLocalPort() + "/hook", "s");
      JsonNode t = ts.client.await(id, key, Duration.ofSeconds(20));
      assertThat(t.path("status").asText()).isEqualTo("completed");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void privateEndpointsAreRefusedAtCreateByDefault() throws Exception {
    try (TestServer ts = TestServer.start(Map.of("REFRAIN_WEBHOOK_ALLOW_PRIVATE", "false")); Receiver rx = new Receiver(0, n -> 200)) {
      var r = ts.client.post("/api/v1/task", ts.newKey(), "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\","
          + "\"input\":{\"style_prompt\":\"piano\"},\"config\":{\"webhook_config\":{\"endpoint\":\"" + rx.url() + "\"}}}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.message()).startsWith("config.webhook_config.endpoint must be on a public address").contains("loopback");
      assertThat(rx.hits).isEmpty();
    }
  }

  @Test
  void deliveriesToAPrivateEndpointAreRefusedOnceTheOperatorForbidsThem() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("refrain-wh-");
    String id;
    try (TestServer ts = TestServer.start(dir, Map.of("REFRAIN_WEBHOOK_BASE_DELAY", "300ms"))) {
      String key = ts.newKey();
      id = create(ts, key, "http://127.0.0.1:" + port + "/hook", "s");
      ts.client.await(id, key, Duration.ofSeconds(30));
    } // nothing listens on the port: every event is still pending when the server stops
    try (Receiver rx = new Receiver(port, n -> 200);
        TestServer again = TestServer.start(dir, Map.of("REFRAIN_WEBHOOK_BASE_DELAY", "300ms", "REFRAIN_WEBHOOK_ALLOW_PRIVATE", "false"))) {
      WebhookStore store = new WebhookStore();
      waitFor(() -> again.server.database().read(c -> store.forTask(c, id)).stream().allMatch(d -> d.state().equals("failed")),
          Duration.ofSeconds(30), "refused deliveries"); // each waits out its backoff from the first run first
      assertThat(rx.hits).isEmpty();
      assertThat(again.server.database().read(c -> store.forTask(c, id)).get(0).lastError()).contains("loopback");
    }
  }

  @Test
  void pendingDeliveriesSurviveARestart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("refrain-wh-");
    String id;
    String key;
    try (TestServer ts = TestServer.start(dir, Map.of("REFRAIN_WEBHOOK_BASE_DELAY", "300ms"))) {
      key = ts.newKey();
      id = create(ts, key, "http://127.0.0.1:" + port + "/hook", "s");
      ts.client.await(id, key, Duration.ofSeconds(30));
    } // nothing listens on the port: every event is still pending when the server stops
    try (Receiver rx = new Receiver(port, n -> 200); TestServer again = TestServer.start(dir, Map.of("REFRAIN_WEBHOOK_BASE_DELAY", "300ms"))) {
      waitFor(() -> rx.delivered().size() == 3, Duration.ofSeconds(30), "events after restart");
      assertThat(rx.delivered()).extracting(h -> Json.parse(h.body()).path("data").path("task_id").asText()).containsOnly(id);
    }
  }
}
