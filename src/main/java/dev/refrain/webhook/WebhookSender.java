package dev.refrain.webhook;

import dev.refrain.core.Signal;
import dev.refrain.metrics.Metrics;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.WebhookStore.Delivery;
import dev.refrain.store.WebhookStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers recorded webhook events, off the task path: one loop finds due deliveries and sends
 * each on its own virtual thread, so a slow or dead receiver never holds up anything else. A
 * task's events go out one at a time, in order. Failures are retried with exponential backoff and
 * jitter; every attempt is recorded, and pending deliveries resume after a restart.
 */
public final class WebhookSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  /** Settings of the sender. */
  public record Settings(Duration timeout, int maxAttempts, Duration baseDelay) {}

  /** Slack past the longest send (connect and request timeouts) before another node may take a delivery over. */
  private static final long CLAIM_MARGIN_MICROS = 10_000_000;

  private final Database db;
  private final WebhookStore store = new WebhookStore();
  private final Settings settings;
  private final Function<URI, Optional<String>> endpointRefusal;
  private final MeterRegistry meters;
  private final Counter retries;
  /** By outcome, built once: building a meter on every attempt costs more than the attempt's bookkeeping. */
  private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();
  private final Map<String, Timer> deliveryTimes = new ConcurrentHashMap<>();
  private final HttpClient http;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<String> busyTasks = ConcurrentHashMap.newKeySet();
  private final Signal wake = new Signal();
  private volatile boolean running = true;
  private final Thread loop;

  /**
   * @param endpointRefusal why an endpoint may not be contacted (private address...), or empty
   * @param meters where attempts are counted and timed by outcome
   */
  public WebhookSender(Database db, Settings settings, Function<URI, Optional<String>> endpointRefusal, MeterRegistry meters) {
    this.db = db;
    this.settings = settings;
    this.endpointRefusal = endpointRefusal;
    this.meters = meters;
    this.retries = Counter.builder("refrain.webhook.retries")
        .description("Webhook attempts after an event's first")
        .register(meters);
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance on every plain-http delivery
        .executor(senders)
        .build();
    this.loop = Thread.ofPlatform().name("webhook-sender").daemon().start(this::run);
  }

  /** Wakes the loop: a new event was committed. */
  public void signal() {
    wake.signal();
  }

  private void run() {
    while (running) {
      try {
        long now = Clock.nowMicros();
        List<Delivery> due = db.read(c -> store.due(c, now, 200));
        for (Delivery d : due) {
          if (busyTasks.add(d.taskId())) senders.execute(() -> send(d));
        }
        long waitMillis = 5_000;
        if (due.isEmpty()) {
          java.util.OptionalLong next = db.read(store::nextDue);
          if (next.isPresent()) waitMillis = Math.max(1, Math.min(waitMillis, (next.getAsLong() - now) / 1_000));
        }
        wake.await(waitMillis);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("webhook loop failed; retrying in 1 s", e);
        Signal.pause(1_000);
      }
    }
  }

  private void send(Delivery listed) {
    try {
      // Taken only if still as listed (an attempt may have finished meanwhile) and no other node took it.
      long now = Clock.nowMicros();
      long sendEnds = now + 2 * settings.timeout().toNanos() / 1_000 + CLAIM_MARGIN_MICROS;
      if (db.tx(c -> store.reschedule(c, listed.id(), listed.attempts(), now, sendEnds))) attempt(listed);
    } catch (RuntimeException e) {
      log.error("webhook delivery {} failed unexpectedly", listed.id(), e);
    } finally {
      busyTasks.remove(listed.taskId());
      signal();
    }
  }

  private void attempt(Delivery d) {
    int attempt = d.attempts() + 1;
    long started = System.nanoTime();
    long at = Clock.nowMicros();
    Integer status = null;
    String error = null;
    boolean permanent = false;
    URI uri = URI.create(d.endpoint());
    Optional<String> refusal = endpointRefusal.apply(uri);
    if (refusal.isPresent()) {
      error = refusal.get();
      permanent = true;
    } else {
      long ts = at / 1_000_000;
      HttpRequest.Builder req = HttpRequest.newBuilder(uri)
          .timeout(settings.timeout())
          .header("Content-Type", "application/json")
          .header("User-Agent", "Refrain-Webhook/1")
          .header("webhook-id", d.id())
          .header("webhook-timestamp", Long.toString(ts))
          .POST(HttpRequest.BodyPublishers.ofString(d.payload()));
      if (d.secret() != null) {
        req.header("x-webhook-secret", d.secret());
        req.header("webhook-signature", WebhookSigner.sign(d.id(), ts, d.payload(), d.secret()));
      }
      try {
        status = http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status < 200 || status >= 300) error = "HTTP " + status;
      } catch (java.net.http.HttpTimeoutException e) {
        error = "timed out after " + settings.timeout().toMillis() + " ms";
      } catch (java.io.IOException e) {
        error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        // Shutting down: hand the delivery back as it was, so it resumes at once after a restart or on another node.
        db.tx(c -> store.reschedule(c, d.id(), d.attempts(), Long.MAX_VALUE, d.nextAttemptAt()));
        Thread.currentThread().interrupt();
        return;
      }
    }
    long tookNanos = System.nanoTime() - started;
    long durationMs = tookNanos / 1_000_000;
    String state;
    String outcome;
    long next = at;
    if (error == null) {
      state = "delivered";
      outcome = "delivered";
    } else if (permanent || attempt >= settings.maxAttempts()) {
      state = "failed";
      outcome = "gave_up";
      log.warn("webhook {} for task {} gave up after {} attempts: {}", d.id(), d.taskId(), attempt, error);
    } else {
      state = "pending";
      outcome = "failed";
      next = Clock.nowMicros() + backoffMicros(attempt);
    }
    WebhookStore.Attempt a = new WebhookStore.Attempt(d.id(), attempt, at, status, error, durationMs);
    String finalState = state;
    long finalNext = next;
    db.tx(c -> {
      store.recordAttempt(c, a, finalState, finalNext);
      return null;
    });
    measure(attempt, outcome, tookNanos);
  }

  /** Counts and times an attempt: delivered, failed (to be retried) or gave_up (its event's last). */
  private void measure(int attempt, String outcome, long nanos) {
    // The outcome counter goes last: a scrape that sees an attempt's outcome also sees its retry and its time.
    if (attempt > 1) retries.increment();
    deliveryTimes.computeIfAbsent(outcome, o -> Metrics.requestTimer("refrain.webhook.delivery")
        .description("Time of one webhook attempt, from sending to the receiver's answer or the error")
        .tag("outcome", o)
        .register(meters)).record(nanos, TimeUnit.NANOSECONDS);
    deliveries.computeIfAbsent(outcome, o -> Counter.builder("refrain.webhook.deliveries")
        .description("Webhook attempts by outcome: delivered, failed (retried later) or gave_up (no tries left)")
        .tag("outcome", o)
        .register(meters)).increment();
  }

  /** Base delay doubled per failed attempt, with equal jitter (half fixed, half random). */
  long backoffMicros(int failedAttempts) {
    long base = settings.baseDelay().toNanos() / 1_000;
    long d = base << Math.min(failedAttempts - 1, 20);
    return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
  }

  @Override
  public void close() {
    running = false;
    signal();
    loop.interrupt();
    senders.shutdownNow();
    try {
      senders.awaitTermination(2, TimeUnit.SECONDS);
      loop.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
