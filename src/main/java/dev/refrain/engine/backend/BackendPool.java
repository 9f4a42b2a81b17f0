package dev.refrain.engine.backend;

import dev.refrain.audio.DecoderPool;
import dev.refrain.config.BackendSettings;
import dev.refrain.core.TaskType;
import dev.refrain.engine.Claim;
import dev.refrain.engine.Engine;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.Slot;
import dev.refrain.metrics.Metrics;
import dev.refrain.store.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * The engine `backends`: every configured GPU backend behind one engine. {@link BackendSlots}
 * chooses where a task runs, {@link HealthProbe} keeps the rotation current and
 * {@link BackendAudio} checks what comes back; this class runs the attempts. Busy answers (429,
 * 503 with Retry-After) pause that backend without costing the task an attempt; backend failures
 * move the task to another backend, up to the attempt limit.
 */
public final class BackendPool implements Engine, AutoCloseable {
  public static final String NAME = "backends";

  /**
   * Pool-wide settings.
   *
   * @param node this node's name (REFRAIN_NODE_NAME), matched against each backend's NODES
   */
  public record Settings(int attempts, Duration healthInterval, Duration pollInterval, int maxSeconds, String node) {}

  /**
   * Backends shared with the other nodes of a cluster, through its database.
   *
   * @param owner this node's lease owner id, the one on the tasks it runs
   * @param lease how long a slot stays held without renewal
   */
  public record Cluster(Database db, String owner, Duration lease) {}

  private final List<Backend> backends;
  private final Settings settings;
  private final MeterRegistry meters;
  private final Fleet fleet;
  private final BackendSlots slots;
  private final BackendAudio audio;
  private final HealthProbe health;

  /**
   * @param meters where each attempt's time and each backend's health are recorded
   * @param cluster the cluster whose nodes share the backends' slots and health; null for a node alone
   */
  public BackendPool(List<BackendSettings> configured, DecoderPool decoders, Settings settings, MeterRegistry meters, Cluster cluster) {
    List<Backend> list = new ArrayList<>();
    for (BackendSettings s : configured) list.add(new Backend(s, Backend.clientFor(s, settings.pollInterval()), settings.node()));
    this.backends = List.copyOf(list);
    this.settings = settings;
    this.meters = meters;
    this.fleet = cluster == null ? Fleet.alone() : new SharedFleet(cluster.db(), cluster.owner(), cluster.lease(), backends);
    this.slots = new BackendSlots(backends, fleet);
    this.audio = new BackendAudio(decoders, settings.maxSeconds());
    for (Backend b : backends) {
      Gauge.builder("refrain.backend.up", b, slots::up)
          .description("1 while the backend is in rotation, 0 while failures keep it out")
          .tags("backend", b.name(), "kind", b.settings.kind())
          .register(meters);
    }
    this.health = new HealthProbe(backends, slots, settings.healthInterval());
  }

  /** Called whenever capacity frees up or a backend comes back, so waiting work is claimed at once. */
  public void onCapacity(Runnable listener) {
    slots.onCapacity(listener);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean serves(TaskType type) {
    return slots.serves(type);
  }

  @Override
  public int freeSlots() {
    return slots.freeSlots();
  }

  @Override
  public Optional<Slot> acquire(Claim claim) {
    return slots.acquire(claim);
  }

  @Override
  public EngineOutput render(EngineJob job, Slot slot, EngineContext ctx) throws Exception {
    BackendSlots.PoolSlot s = (BackendSlots.PoolSlot) slot;
    Set<Backend> failedOn = new HashSet<>();
    Set<Backend> told = new HashSet<>();
    int failures = 0;
    String lastError = "";
    while (true) {
      Backend b = s.backend();
      ctx.log("backend " + b.name() + " (" + b.settings.kind() + ") takes attempt " + (failures + 1) + " of " + settings.attempts());
      // Only now is the backend, and so what it can take, known; each one chosen says so once.
      if (told.add(b)) {
        b.client.unused(job).forEach((field, why) ->
            ctx.log("input." + field + " is not used by backend " + b.name() + " (" + b.settings.kind() + "): " + why));
      }
      long t0 = System.nanoTime();
      try {
        BackendClient.Audio answer = call(b, job, ctx);
        // The backend is done with us: its slot goes to the next task while we measure and store.
        s.releaseEarly();
        ctx.log(String.format(Locale.ROOT, "backend %s answered in %d ms (%d bytes)", b.name(), (System.nanoTime() - t0) / 1_000_000,
            answer.data().length));
        try {
          EngineOutput out = audio.verify(job, answer, ctx);
          slots.succeeded(b);
          return out;
        } catch (BackendException.Failed bad) {
          s.reacquire(job.type(), ctx); // retrying needs capacity again
          throw bad;
        }
      } catch (BackendException.Busy busy) {
        slots.backOff(b, busy.retryAfter());
        ctx.log("backend " + b.name() + " is busy (" + busy.getMessage() + "); waiting " + busy.retryAfter().toSeconds() + " s or for another backend");
        s.moveOrWait(job.type(), Set.of(), ctx);
      } catch (BackendException.Refused refused) {
        ctx.log("backend " + b.name() + ": " + refused.getMessage());
        throw new IllegalStateException(refused.getMessage());
      } catch (BackendException.Failed failed) {
        ctx.checkCancelled();
        failures++;
        lastError = failed.getMessage();
        failedOn.add(b);
        ctx.log("attempt " + failures + " on backend " + b.name() + " failed: " + failed.getMessage());
        slots.failed(b, failed.getMessage());
        if (failures >= settings.attempts()) {
          throw new IllegalStateException("no backend finished the task in " + failures + " attempt(s); last error: " + lastError);
        }
        s.moveOrWait(job.type(), failedOn, ctx);
      }
    }
  }

  /** One attempt on a backend, timed by its outcome: ok, busy, refused, failed, cancelled or error (a bug of ours). */
  private BackendClient.Audio call(Backend b, EngineJob job, EngineContext ctx) throws BackendException, InterruptedException {
    long t0 = System.nanoTime();
    String outcome = "error";
    try {
      BackendClient.Audio answer = b.client.run(job, ctx, Instant.now().plus(b.settings.timeout()));
      outcome = "ok";
      return answer;
    } catch (BackendException e) {
      outcome = switch (e) {
        case BackendException.Busy busy -> "busy";
        case BackendException.Refused refused -> "refused";
        case BackendException.Failed failed -> "failed";
      };
      throw e;
    } catch (InterruptedException | CancellationException e) {
      outcome = "cancelled";
      throw e;
    } finally {
      Metrics.jobTimer("refrain.backend.request")
          .description("Attempts on GPU backends, from the request to the audio or the error, by outcome")
          .tags("backend", b.name(), "kind", b.settings.kind(), "outcome", outcome)
          .register(meters)
          .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }
  }

  /** A line per backend for `refrain backends check`: see {@link BackendsCheck}. */
  public List<String> check() {
    return BackendsCheck.report(backends);
  }

  @Override
  public void close() {
    health.close();
    fleet.close();
  }
}
