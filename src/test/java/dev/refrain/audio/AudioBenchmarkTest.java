package dev.refrain.audio;

import dev.refrain.core.OutputFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Throughput in × real time; prints, asserts nothing. Run with -Drefrain.bench=true. */
@EnabledIfSystemProperty(named = "refrain.bench", matches = "true")
class AudioBenchmarkTest {
  private static final double SECONDS = 180;

  @Test
  void printThroughput() throws Exception {
    AudioClip music = musicLike(SECONDS, 44100);
    byte[] mp3 = null;
    for (int run = 1; run <= 3; run++) {
      long t = System.nanoTime();
      mp3 = AudioEncoder.encode(music, OutputFormat.MP3, 192);
      report("mp3 encode 192k, run " + run, t);
    }
    for (int run = 1; run <= 3; run++) {
      long t = System.nanoTime();
      AudioDecoder.decode(mp3, 600);
      report("mp3 decode, run " + run, t);
    }
    long t = System.nanoTime();
    byte[] flac = AudioEncoder.encode(music, OutputFormat.FLAC, 0);
    report("flac encode", t);
    t = System.nanoTime();
    AudioDecoder.decode(flac, 600);
    report("flac decode", t);
    t = System.nanoTime();
    AudioEncoder.encode(music, OutputFormat.WAV, 0);
    report("wav encode", t);
    t = System.nanoTime();
    Resampler.resample(music, 48000);
    report("resample 44.1k -> 48k", t);
  }

  /** Chords with vibrato over a little noise: enough texture that LAME does real work. */
  private static AudioClip musicLike(double seconds, int rate) {
    int n = (int) (seconds * rate);
    float[][] pcm = new float[2][n];
    Random noise = new Random(1);
    double[] hz = {220, 277.18, 329.63, 440, 659.25};
    for (int i = 0; i < n; i++) {
      double t = i / (double) rate, v = 0;
      for (int k = 0; k < hz.length; k++) v += Math.sin(2 * Math.PI * hz[k] * t + 3 * Math.sin(2 * Math.PI * 5 * t)) / hz.length;
      pcm[0][i] = (float) (0.6 * v + 0.05 * noise.nextGaussian());
      pcm[1][i] = (float) (0.6 * v + 0.05 * noise.nextGaussian());
    }
    return new AudioClip(rate, pcm);
  }

  private static void report(String what, long startNanos) {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("%-26s %7.3f s  x%.0f real time%n", what, wall, SECONDS / wall);
  }
}
