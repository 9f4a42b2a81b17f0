package dev.refrain.engine.backend;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioException;
import dev.refrain.audio.AudioSniffer;
import dev.refrain.audio.Container;
import dev.refrain.audio.DecoderPool;
import dev.refrain.config.BackendSettings;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.Signal;
import dev.refrain.core.TaskType;
import dev.refrain.engine.Engine;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.Slot;
import dev.refrain.metrics.Metrics;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine `backends`: every configured GPU backend behind one engine. A slot is a job place on
 * one backend, handed out in order of preference among healthy backends that serve the task
 * type, so no backend ever gets more jobs than its slots. A backend that fails twice in a row
 * (probes or jobs) leaves the rotation until a health probe passes. Busy answers (429, 503 with
 * Retry-After) pause that backend without costing the task an attempt; backend failures move the
 * task to another backend, up to the attempt limit.
 */
public final class BackendPool implements Engine, AutoCloseable {
  public static final String NAME = "backends";
  private static final Logger log = LoggerFactory.getLogger(BackendPool.class);
  private static final long WAIT_STEP_MILLIS = 50;

  /** Pool-wide settings. */
  public record Settings(int attempts, Duration healthInterval, Duration pollInterval, int maxSeconds) {}

  private final List<Backend> backends;
  private final Settings settings;
  private final DecoderPool decoders;
  private final MeterRegistry meters;
  private final Object lock = new Object();
  private volatile Runnable onCapacity = () -> {};
  private final Thread health;
  private volatile boolean closed;

  /** @param meters where each attempt's time and each backend's health are recorded */
  public BackendPool(List<BackendSettings> configured, DecoderPool decoders, Settings settings, MeterRegistry meters) {
    List<Backend> list = new ArrayList<>();
    for (BackendSettings s : configured) list.add(new Backend(s, Backend.clientFor(s, settings.pollInterval())));
    this.backends = List.copyOf(list);
    this.settings = settings;
    this.decoders = decoders;
    this.meters = meters;
    for (Backend b : backends) {
      Gauge.builder("refrain.backend.up", b, this::up)
          .description("1 while the backend is in rotation, 0 while failures keep it out")
          .tags("backend", b.name(), "kind", b.settings.kind())
          .register(meters);
    }
    this.health = Thread.ofPlatform().daemon().name("backend-health").start(this::healthLoop);
  }

  /** Called whenever capacity frees up or a backend comes back, so waiting work is claimed at once. */
  public void onCapacity(Runnable listener) {
    this.onCapacity = listener;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean serves(TaskType type) {
    return backends.stream().anyMatch(b -> b.serves.contains(type));
  }

  @Override
  public boolean hasFreeSlot() {
    long now = System.nanoTime();
    synchronized (lock) {
      for (Backend b : backends) {
        for (TaskType t : b.serves) if (b.canTake(t, now)) return true;
      }
    }
    return false;
  }

  @Override
  public Optional<Slot> acquire(TaskType type) {
    return take(type, Set.of()).map(PoolSlot::new);
  }

  /** The most preferred backend that can take the type now, avoiding {@code avoid} when another can. */
  private Optional<Backend> take(TaskType type, Set<Backend> avoid) {
    long now = System.nanoTime();
    synchronized (lock) {
      Backend fallback = null;
      for (Backend b : backends) {
        if (!b.canTake(type, now)) continue;
        if (!avoid.contains(b)) {
          b.busy++;
          return Optional.of(b);
        }
        if (fallback == null) fallback = b;
      }
      if (fallback != null) fallback.busy++;
      return Optional.ofNullable(fallback);
    }
  }

  private void release(Backend b) {
    synchronized (lock) {
      b.busy--;
    }
    onCapacity.run();
  }

  /** The slot a task holds; it may move to another backend when its attempt there fails. */
  private final class PoolSlot implements Slot {
    private Backend backend;
    private boolean closed;

    PoolSlot(Backend backend) {
      this.backend = backend;
    }

    @Override
    public synchronized String describe() {
      return backend.settings.kind() + " " + backend.name();
    }

    synchronized Backend backend() {
      return backend;
    }

    /** Gives the backend's capacity back before the task ends; {@link #close} then has nothing left to return. */
    synchronized void releaseEarly() {
      if (!closed) {
        closed = true;
        release(backend);
      }
    }

    /** Takes a slot again after an early release, waiting while none is free. */
    void reacquire(TaskType type, EngineContext ctx) throws InterruptedException {
      Instant giveUp = Instant.now().plus(backend().settings.timeout());
      while (true) {
        ctx.checkCancelled();
        Optional<Backend> next = take(type, Set.of());
        if (next.isPresent()) {
          synchronized (this) {
            backend = next.get();
            closed = false;
          }
          return;
        }
        if (Instant.now().isAfter(giveUp)) throw new IllegalStateException("no backend could take the task again");
        Thread.sleep(WAIT_STEP_MILLIS);
      }
    }

    synchronized void moveTo(Backend next) {
      Backend old = backend;
      backend = next;
      if (old != next) release(old);
      else synchronized (lock) {
        next.busy--; // taken twice: keep one
      }
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(backend);
      }
    }
  }

  @Override
  public EngineOutput render(EngineJob job, Slot slot, EngineContext ctx) throws Exception {
    PoolSlot s = (PoolSlot) slot;
    Set<Backend> failedOn = new HashSet<>();
    int failures = 0;
    String lastError = "";
    while (true) {
      Backend b = s.backend();
      ctx.log("backend " + b.name() + " (" + b.settings.kind() + ") takes attempt " + (failures + 1) + " of " + settings.attempts());
      long t0 = System.nanoTime();
      try {
        BackendClient.Audio audio = call(b, job, ctx);
        // The backend is done with us: its slot goes to the next task while we measure and store.
        s.releaseEarly();
        ctx.log(String.format(Locale.ROOT, "backend %s answered in %d ms (%d bytes)", b.name(), (System.nanoTime() - t0) / 1_000_000,
            audio.data().length));
        try {
          EngineOutput out = output(job, audio, ctx);
          succeeded(b);
          return out;
        } catch (BackendException.Failed bad) {
          s.reacquire(job.type(), ctx); // retrying needs capacity again
          throw bad;
        }
      } catch (BackendException.Busy busy) {
        synchronized (lock) {
          b.backoffUntilNanos = System.nanoTime() + busy.retryAfter().toNanos();
        }
        ctx.log("backend " + b.name() + " is busy (" + busy.getMessage() + "); waiting " + busy.retryAfter().toSeconds() + " s or for another backend");
        moveOrWait(s, job.type(), Set.of(), ctx);
      } catch (BackendException.Refused refused) {
        ctx.log("backend " + b.name() + ": " + refused.getMessage());
        throw new IllegalStateException(refused.getMessage());
      } catch (BackendException.Failed failed) {
        ctx.checkCancelled();
        failures++;
        lastError = failed.getMessage();
        failedOn.add(b);
        ctx.log("attempt " + failures + " on backend " + b.name() + " failed: " + failed.getMessage());
        failed(b, failed.getMessage());
        if (failures >= settings.attempts()) {
          throw new IllegalStateException("no backend finished the task in " + failures + " attempt(s); last error: " + lastError);
        }
        moveOrWait(s, job.type(), failedOn, ctx);
      }
    }
  }

  /** One attempt on a backend, timed by its outcome: ok, busy, refused, failed, cancelled or error (a bug of ours). */
  private BackendClient.Audio call(Backend b, EngineJob job, EngineContext ctx) throws BackendException, InterruptedException {
    long t0 = System.nanoTime();
    String outcome = "error";
    try {
      BackendClient.Audio audio = b.client.run(job, ctx, Instant.now().plus(b.settings.timeout()));
      outcome = "ok";
      return audio;
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

  private double up(Backend b) {
    synchronized (lock) {
      return b.healthy ? 1 : 0;
    }
  }

  /**
   * Moves the slot to a backend that can take the task, preferring one not in {@code avoid};
   * stays on the current one when it is fit again and no other is free. Waits while neither holds;
   * the current slot is kept meanwhile so the task does not lose its place.
   */
  private void moveOrWait(PoolSlot s, TaskType type, Set<Backend> avoid, EngineContext ctx) throws InterruptedException {
    Instant giveUp = Instant.now().plus(s.backend().settings.timeout());
    while (true) {
      ctx.checkCancelled();
      Backend current = s.backend();
      Set<Backend> others = new HashSet<>(avoid);
      others.add(current);
      Optional<Backend> next = take(type, others);
      if (next.isPresent() && !others.contains(next.get())) {
        s.moveTo(next.get());
        return;
      }
      next.ifPresent(this::release); // only an avoided backend was free: keep our own slot instead
      synchronized (lock) {
        if (current.healthy && System.nanoTime() >= current.backoffUntilNanos) return;
      }
      if (Instant.now().isAfter(giveUp)) {
        throw new IllegalStateException("no backend could take the task within " + s.backend().settings.timeout().toSeconds() + " s");
      }
      Thread.sleep(WAIT_STEP_MILLIS);
    }
  }

  /**
   * Measures the backend's audio by decoding it; keeps the bytes when they are already what the
   * client asked for. Audio that is not what was asked fails the attempt: the backend is not trusted.
   */
  private EngineOutput output(EngineJob job, BackendClient.Audio audio, EngineContext ctx)
      throws BackendException.Failed, InterruptedException {
    long t0 = System.nanoTime();
    AudioClip clip;
    try {
      clip = decoders.decode(audio.data(), settings.maxSeconds());
    } catch (AudioException e) {
      throw new BackendException.Failed("the backend's audio could not be decoded: " + e.getMessage());
    }
    Optional<Container> container = AudioSniffer.sniff(audio.data());
    OutputFormat got = container.map(c -> switch (c) {
      case MP3 -> OutputFormat.MP3;
      case WAV -> OutputFormat.WAV;
      case FLAC -> OutputFormat.FLAC;
      default -> null;
    }).orElse(null);
    ctx.log(String.format(Locale.ROOT, "backend audio: %s, %.3f s, %d Hz, %d channel(s), decoded in %d ms",
        container.map(Enum::name).orElse("?").toLowerCase(Locale.ROOT), clip.seconds(), clip.sampleRate(), clip.channelCount(),
        (System.nanoTime() - t0) / 1_000_000));
    if (job.type() == TaskType.EXTEND) {
      double expected = job.sourceAudio().seconds() + job.leftExtend() + job.rightExtend();
      if (Math.abs(clip.seconds() - expected) > 0.5) {
        throw new BackendException.Failed(String.format(Locale.ROOT, "the backend returned %.1f s for an extend to %.1f s: its repaint"
            + " does not extend audio; take extend off its task types", clip.seconds(), expected));
      }
    }
    if (job.type() == TaskType.TXT2AUDIO && clip.seconds() + 0.05 < job.duration()) {
      ctx.log(String.format(Locale.ROOT, "the backend returned %.1f s of the %.1f s asked (its memory tier clamps durations)",
          clip.seconds(), job.duration()));
    }
    return got == job.format() ? new EngineOutput.Encoded(audio.data(), got, clip.seconds()) : new EngineOutput.Pcm(clip);
  }

  private void succeeded(Backend b) {
    boolean back;
    synchronized (lock) {
      back = b.succeeded();
    }
    if (back) {
      log.info("backend {} is healthy again", b.name());
      onCapacity.run();
    }
  }

  private void failed(Backend b, String why) {
    boolean out;
    synchronized (lock) {
      out = b.failed(why);
    }
    if (out) log.warn("backend {} taken out of rotation: {}", b.name(), why);
  }

  private void healthLoop() {
    while (!closed) {
      Signal.pause(settings.healthInterval().toMillis());
      if (closed) return;
      for (Backend b : backends) {
        try {
          b.client.checkHealth();
          succeeded(b);
        } catch (BackendException e) {
          failed(b, e.getMessage());
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          failed(b, e.toString());
        }
      }
    }
  }

  /** A line per backend for `refrain backends check`: reachability, health, what it reports, its task types and slots. */
  public List<String> check() {
    List<String> out = new ArrayList<>();
    for (Backend b : backends) {
      StringBuilder line = new StringBuilder(b.settings.toString());
      try {
        b.client.checkHealth();
        line.append("\n    health: ok");
        for (String d : b.client.describe()) line.append("\n    ").append(d);
      } catch (BackendException e) {
        line.append("\n    health: NOT OK: ").append(e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      line.append("\n    serves: ").append(b.serves.stream().map(TaskType::wire).sorted().toList())
          .append(", slots: ").append(b.settings.slots());
      out.add(line.toString());
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    health.interrupt();
  }
}
