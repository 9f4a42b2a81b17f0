package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Prints how long analysis and mastering take on long inputs; asserts only results, never times. */
class AnalysisBenchmarkTest {
  static AudioClip longTrack(double seconds) {
    AudioClip d = Signals.drums(124, seconds, 44100, 2, 0.2, 1);
    AudioClip p = Signals.pink(seconds, 44100, 2, 0.1, 2);
    for (int c = 0; c < 2; c++) {
      float[] x = d.channels()[c], y = p.channels()[c];
      for (int i = 0; i < x.length; i++) x[i] += y[i];
    }
    return d;
  }

  @Test
  void longInputs() {
    for (double seconds : new double[] {240, 600}) {
      AudioClip clip = longTrack(seconds);
      Analysis.of(clip); // warm-up
      long t0 = System.nanoTime();
      Analysis a = Analysis.of(clip);
      long t1 = System.nanoTime();
      System.out.printf("Analysis.of %.0f s stereo 44.1 kHz: %.0f ms (%.2f BPM, %d sections)%n", seconds, (t1 - t0) / 1e6, a.bpm(), a.sectionStarts().size());
      assertThat(a.bpm()).isCloseTo(124, within(1.0));
    }
    AudioClip clip = longTrack(240);
    long t0 = System.nanoTime();
    double lufs = Loudness.integrated(clip);
    long t1 = System.nanoTime();
    double tp = TruePeak.of(clip);
    long t2 = System.nanoTime();
    float[][] out = new float[2][clip.frames()];
    Limiter lim = new Limiter(44100, 2, -1);
    int n = lim.process(clip.channels(), 0, clip.frames(), out, 0);
    n += lim.drain(out, n);
    long t3 = System.nanoTime();
    System.out.printf("240 s stereo: loudness %.0f ms (%.2f LUFS), true peak %.0f ms (%.2f dBTP), limiter %.0f ms%n",
        (t1 - t0) / 1e6, lufs, (t2 - t1) / 1e6, tp, (t3 - t2) / 1e6);
    assertThat(n).isEqualTo(clip.frames());
  }
}
