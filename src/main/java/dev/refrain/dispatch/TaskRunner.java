package dev.refrain.dispatch;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.audio.PcmStream;
import dev.refrain.billing.Pricing;
import dev.refrain.core.ErrorCode;
import dev.refrain.core.InputFields;
import dev.refrain.core.Json;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskInput;
import dev.refrain.core.TaskType;
import dev.refrain.engine.Engine;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.Slot;
import dev.refrain.fetch.SourceAudioLoader;
import dev.refrain.metrics.Metrics;
import dev.refrain.storage.BlobStore;
import dev.refrain.storage.DiskSpace;
import dev.refrain.storage.Links;
import dev.refrain.store.TaskRow;
import dev.refrain.task.TaskOutput;
import dev.refrain.task.Transitions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed task to its end: input audio, engine, encoding, storage, then completion with
 * billing. Any failure ends the task failed with a clear message; nothing escapes to the caller.
 */
final class TaskRunner {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

  /**
   * Settings the runner needs.
   *
   * @param scratch folder for files being encoded before they are stored
   */
  record Settings(int maxDurationSeconds, int mp3Bitrate, Path scratch) {}

  private final Map<String, Engine> engines;
  private final SourceAudioLoader inputs;
  private final BlobStore blobs;
  private final Links links;
  private final Pricing pricing;
  private final Transitions transitions;
  private final DiskSpace disk;
  private final Settings settings;
  private final MeterRegistry meters;
  /** Each series' timer, built once (engines and types are few, outcomes three). */
  private final Map<RunSeries, Timer> runTimes = new ConcurrentHashMap<>();

  private record RunSeries(String engine, String type, String outcome) {}

  TaskRunner(Map<String, Engine> engines, SourceAudioLoader inputs, BlobStore blobs, Links links, Pricing pricing,
      Transitions transitions, DiskSpace disk, Settings settings, MeterRegistry meters) {
    this.engines = engines;
    this.disk = disk;
    this.inputs = inputs;
    this.blobs = blobs;
    this.links = links;
    this.pricing = pricing;
    this.transitions = transitions;
    this.settings = settings;
    this.meters = meters;
  }

  /** Thrown out of {@link #run} only when the server is stopping: the task stays leased and is retried later. */
  static final class Abandoned extends RuntimeException {
    Abandoned() {
      super(null, null, false, false);
    }
  }

  void run(TaskRow t, Slot slot, RunContext ctx, String node, java.util.function.BooleanSupplier stopping) {
    long t0 = System.nanoTime();
    String outcome = null; // none when abandoned: the run did not end, it resumes after the restart
    try {
      outcome = execute(t, slot, ctx, node) ? "completed" : "cancelled";
    } catch (InputFailure e) {
      outcome = "failed";
      transitions.fail(t, node, ErrorCode.INPUT, e.getMessage(), e.getMessage(), ctx.logs());
    } catch (java.util.concurrent.CancellationException | InterruptedException e) {
      if (stopping.getAsBoolean() && !ctx.cancelled()) throw new Abandoned();
      // Cancelled by the client: the task already ended failed and its hold was released.
      outcome = "cancelled";
    } catch (Exception | OutOfMemoryError e) {
      if (stopping.getAsBoolean() && !ctx.cancelled()) throw new Abandoned();
      outcome = ctx.cancelled() ? "cancelled" : "failed";
      if (DiskSpace.isFull(e)) {
        // The ballast's room lets the failure itself be recorded; the server stops claiming meanwhile.
        disk.release();
        log.warn("task {} failed: the disk is full ({})", t.id(), e.getMessage());
        String msg = "the server ran out of disk space for the output; try again later";
        transitions.fail(t, node, ErrorCode.INTERNAL, msg, msg, ctx.logs());
        return;
      }
      log.error("task {} failed in engine {}", t.id(), t.engine(), e);
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      transitions.fail(t, node, ErrorCode.INTERNAL, "engine " + t.engine() + " failed: " + why, why, ctx.logs());
    } finally {
      if (outcome != null) {
        runTimes.computeIfAbsent(new RunSeries(t.engine(), t.taskType(), outcome), s -> Metrics.jobTimer("refrain.engine.run")
            .description("A task's run on an engine, from its start to its end (input, render, encoding, storage)")
            .tags("engine", s.engine(), "type", s.type(), "outcome", s.outcome())
            .register(meters)).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Runs the task to its end; false when its result was discarded (cancelled or taken over meanwhile). */
  private boolean execute(TaskRow t, Slot slot, RunContext ctx, String node) throws Exception {
    TaskType type = TaskType.fromWire(t.taskType()).orElseThrow();
    TaskInput in = TaskInput.of(type, Json.parse(t.inputJson()));
    Engine engine = engines.get(t.engine());
    if (engine == null || !engine.serves(type)) {
      throw new InputFailure("engine " + t.engine() + " is not available on this server for " + type.wire());
    }
    if (t.attempts() > 1) ctx.log("attempt " + t.attempts() + ": the previous worker stopped before finishing");
    engine.unused(in).forEach(ctx::log);

    AudioClip source = null;
    if (in.sourceAudio() != null) {
      source = load(in.sourceAudio(), t.baseUrl(), "input audio", ctx);
      double added = in instanceof TaskInput.Extend e ? e.leftExtendDuration() + e.rightExtendDuration() : 0;
      double total = source.seconds() + added;
      if (total > settings.maxDurationSeconds() + 1e-9) {
        throw new InputFailure(added > 0
            ? String.format(Locale.ROOT, "input.audio is %.1f s long; extended by %.1f s it would be %.1f s, over the %d s limit",
                source.seconds(), added, total, settings.maxDurationSeconds())
            : String.format(Locale.ROOT, "input.%s is %.1f s long, over the %d s limit", InputFields.audioField(type),
                source.seconds(), settings.maxDurationSeconds()));
      }
    }

    // Fetched and checked like source audio, whichever engine takes it: bad audio fails the task the same way.
    AudioClip reference = in.referenceAudio() == null ? null : load(in.referenceAudio(), t.baseUrl(), "reference audio", ctx);

    OutputFormat format = in.format();
    EngineJob job = new EngineJob(t.id(), in, t.seed(), source, reference);
    long t0 = System.nanoTime();
    ctx.progress(0, "render");
    EngineOutput out = engine.render(job, slot, ctx);
    ctx.checkCancelled();
    ctx.log(String.format(Locale.ROOT, "engine %s rendered %.3f s in %d ms", engine.name(), out.seconds(), ms(t0)));

    ctx.progress(0.95, "encode");
    t0 = System.nanoTime();
    String key = "outputs/" + t.id() + "." + format.extension();
    long size = store(out, format, key, ctx);
    ctx.log(String.format(Locale.ROOT, "encoded %s (%d bytes) and stored in %d ms", format.extension(), size, ms(t0)));

    TaskOutput output = switch (out) {
      case EngineOutput.Pcm p -> output(links.outputUrl(key), out, format, size, t.seed(), p.clip().sampleRate(), p.clip().channelCount());
      case EngineOutput.Stream p -> output(links.outputUrl(key), out, format, size, t.seed(), p.pcm().sampleRate(), p.pcm().channelCount());
      case EngineOutput.Encoded e -> output(links.outputUrl(key), out, format, size, t.seed(), null, null);
    };
    // Billed from the durations as reported (to the millisecond), so clients can check the sum.
    long consumed = pricing.charge(type, millis(out.seconds()), source == null ? 0 : millis(source.seconds()));
    if (!transitions.complete(t, node, output, consumed, ctx.logs())) {
      blobs.delete(key); // cancelled or taken over meanwhile: the result is discarded
      return false;
    }
    return true;
  }

  /**
   * Fetches and decodes one of the task's audio inputs, logging what it is; any failure is the input's.
   *
   * @param taskBase the base URL the task was created by: our own files under it are read from storage
   */
  private AudioClip load(String url, String taskBase, String what, RunContext ctx) throws InputFailure, InterruptedException {
    ctx.progress(0, "fetch " + what);
    long t0 = System.nanoTime();
    AudioClip clip;
    try {
      clip = inputs.load(url, taskBase);
    } catch (SourceAudioLoader.LoadException e) {
      throw new InputFailure("failed to get input audio: " + e.getMessage());
    }
    ctx.log(String.format(Locale.ROOT, "%s: %.3f s, %d Hz, %d channel(s), read in %d ms",
        what, clip.seconds(), clip.sampleRate(), clip.channelCount(), ms(t0)));
    return clip;
  }

  /** Encodes PCM into a scratch file as it is produced, then stores the file; returns the stored size. */
  private long store(EngineOutput out, OutputFormat format, String key, RunContext ctx) throws IOException {
    if (out instanceof EngineOutput.Encoded e) {
      if (e.format() != format) throw new IllegalStateException("engine returned " + e.format() + " but " + format + " was asked");
      blobs.put(key, e.data());
      return e.data().length;
    }
    PcmStream pcm = switch (out) {
      case EngineOutput.Pcm p -> PcmStream.of(p.clip());
      case EngineOutput.Stream p -> new Watched(p.pcm(), ctx);
      case EngineOutput.Encoded e -> throw new AssertionError();
    };
    Files.createDirectories(settings.scratch());
    Path file = Files.createTempFile(settings.scratch(), "output-", "." + format.extension());
    try {
      long size = AudioEncoder.encode(pcm, format, settings.mp3Bitrate(), file);
      blobs.put(key, file);
      return size;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * A streamed output read by the encoder: a long one still renders as it is read, so it reports
   * progress and stops at a cancel like the engine itself does.
   */
  private static final class Watched implements PcmStream {
    private final PcmStream in;
    private final RunContext ctx;
    private long read;

    Watched(PcmStream in, RunContext ctx) {
      this.in = in;
      this.ctx = ctx;
    }

    @Override
    public int sampleRate() {
      return in.sampleRate();
    }

    @Override
    public int channelCount() {
      return in.channelCount();
    }

    @Override
    public int frames() {
      return in.frames();
    }

    @Override
    public int read(float[][] out, int offset, int count) {
      ctx.checkCancelled();
      int n = in.read(out, offset, count);
      read += n;
      // The engine's own progress ends near 1; encoding fills in the rest.
      ctx.progress(0.95 + 0.05 * read / Math.max(1, in.frames()), "encode");
      return n;
    }

    @Override
    public void close() {
      in.close();
    }
  }

  private static TaskOutput output(String url, EngineOutput out, OutputFormat format, long size, long seed, Integer sampleRate,
      Integer channels) {
    return new TaskOutput(url, millis(out.seconds()), format.extension(), size, seed, sampleRate, channels);
  }

  private static double millis(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** A failure caused by the request or its input, not by the server. */
  private static final class InputFailure extends Exception {
    InputFailure(String message) {
      super(message, null, false, false);
    }
  }
}
