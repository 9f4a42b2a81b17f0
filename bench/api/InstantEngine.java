package dev.refrain.bench;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskType;
import dev.refrain.engine.Engine;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.LocalEngine;

/**
 * Benchmark-only engine {@code instant}: answers every txt2audio job at once with one short MP3
 * encoded when the engine is created (a 10 s, 8 kHz mono 440 Hz tone at a low bitrate). It exists
 * so the API benchmark measures the server (HTTP, store, dispatch, webhooks), not music making.
 *
 * <p>It is not in the server's jar: bench/api/run compiles it, with {@link InstantEngineProvider}
 * and a META-INF/services entry, into its own classes folder and puts that on the classpath.
 * The benchmark only sends txt2audio with duration 10, so the clip's length is fixed.
 */
public final class InstantEngine extends LocalEngine {
  static final int SAMPLE_RATE = 8_000;
  static final int SECONDS = 10;
  static final int BITRATE_KBPS = 32;

  private final byte[] mp3;
  private final double seconds;

  public InstantEngine(int concurrency) {
    super(concurrency);
    AudioClip clip = tone(SAMPLE_RATE, SECONDS, 440.0);
    this.mp3 = AudioEncoder.encode(clip, OutputFormat.MP3, BITRATE_KBPS);
    this.seconds = clip.seconds();
  }

  private static AudioClip tone(int rate, int seconds, double hz) {
    float[] s = new float[rate * seconds];
    for (int i = 0; i < s.length; i++) s[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / rate));
    return new AudioClip(rate, new float[][] {s});
  }

  @Override
  public String name() {
    return "instant";
  }

  @Override
  public boolean serves(TaskType type) {
    return type == TaskType.TXT2AUDIO;
  }

  @Override
  public EngineOutput render(EngineJob job, EngineContext ctx) {
    // The same bytes for every job: the runner only stores them, it never changes them.
    return new EngineOutput.Encoded(mp3, OutputFormat.MP3, seconds);
  }

  /** Size of the pre-encoded clip, for the benchmark's log. */
  int bytes() {
    return mp3.length;
  }
}
