package dev.refrain.testing;

import dev.refrain.audio.AudioClip;
import dev.refrain.config.Config;
import dev.refrain.core.TaskType;
import dev.refrain.engine.Engine;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.EngineProvider;
import dev.refrain.engine.LocalEngine;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test engine "gate": every job waits until the test opens the gate (or the job is cancelled),
 * then returns a 440 Hz tone of the requested length. Lets tests hold tasks in `processing`.
 */
public final class GateEngine extends LocalEngine {
  /** The stage it reports while it waits. */
  public static final String STAGE = "waiting at the gate";

  private static volatile boolean open;
  public static final AtomicInteger STARTED = new AtomicInteger();
  /** Jobs inside render now: a cancelled job leaves at once. */
  public static final AtomicInteger RUNNING = new AtomicInteger();

  public static void close() {
    open = false;
  }

  public static void open() {
    open = true;
  }

  GateEngine(int concurrency) {
    super(concurrency);
  }

  @Override
  public String name() {
    return "gate";
  }

  @Override
  public boolean serves(TaskType type) {
    return true;
  }

  @Override
  public EngineOutput render(EngineJob job, EngineContext ctx) throws Exception {
    STARTED.incrementAndGet();
    RUNNING.incrementAndGet();
    try {
      ctx.progress(0.5, STAGE);
      while (!open) {
        ctx.checkCancelled();
        Thread.sleep(5);
      }
    } finally {
      RUNNING.decrementAndGet();
    }
    return tone(job.type() == TaskType.TXT2AUDIO ? job.duration() : job.sourceAudio().seconds());
  }

  /**
   * A 440 Hz tone at 8 kHz mono that swells every two seconds (so a drawn waveform has a shape):
   * cheap to make and to encode, for test engines.
   */
  static EngineOutput tone(double seconds) {
    int rate = 8000;
    float[] mono = new float[(int) Math.round(seconds * rate)];
    for (int i = 0; i < mono.length; i++) {
      double t = (double) i / rate;
      mono[i] = (float) (0.3 * (0.6 + 0.4 * Math.sin(Math.PI * t)) * Math.sin(2 * Math.PI * 440 * t));
    }
    return new EngineOutput.Pcm(new AudioClip(rate, new float[][] {mono}));
  }

  /** Registered through META-INF/services in the test classpath only. */
  public static final class Provider implements EngineProvider {
    @Override
    public String name() {
      return "gate";
    }

    @Override
    public Engine create(Config config) {
      return new GateEngine(config.engineConcurrency());
    }
  }
}
