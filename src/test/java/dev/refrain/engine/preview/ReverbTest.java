package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.util.Locale;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class ReverbTest {
  private static final int RATE = 44_100;

  /** An impulse sent into the left input, the wet output rendered in blocks of {@code block}. */
  static float[][] impulse(double seconds, double preDelay, int frames, int block) {
    Reverb reverb = new Reverb(RATE, seconds, preDelay);
    float[][] out = new float[2][frames];
    float[] sendLeft = new float[block];
    float[] sendRight = new float[block];
    for (int at = 0; at < frames; at += block) {
      java.util.Arrays.fill(sendLeft, 0);
      if (at == 0) sendLeft[0] = 1;
      reverb.process(sendLeft, sendRight, out[0], out[1], at, Math.min(block, frames - at));
    }
    return out;
  }

  /** Seconds for the backward-integrated energy (Schroeder's decay curve) to fall from −5 dB to −35 dB, doubled: T60. */
  static double t60(float[][] out) {
    int n = out[0].length;
    double[] tail = new double[n + 1];
    for (int i = n - 1; i >= 0; i--) tail[i] = tail[i + 1] + out[0][i] * out[0][i] + out[1][i] * out[1][i];
    int t5 = 0;
    while (tail[t5] > tail[0] * Math.pow(10, -0.5)) t5++;
    int t35 = t5;
    while (tail[t35] > tail[0] * Math.pow(10, -3.5)) t35++;
    return 2.0 * (t35 - t5) / RATE;
  }

  @Test
  void anImpulseRingsForAboutTheConfiguredTimeInBothChannelsDifferently() {
    for (double seconds : new double[] {1.0, 2.2, 4.0}) {
      float[][] out = impulse(seconds, 0.02, (int) (3 * seconds * RATE), 4096);
      double t60 = t60(out);
      System.out.printf(Locale.ROOT, "configured %.1f s, measured T60 %.2f s, wet energy %.3f%n", seconds, t60,
          VoicesTest.rms(out[0]) * VoicesTest.rms(out[0]) * out[0].length);
      assertThat(t60).isBetween(0.7 * seconds, 1.2 * seconds);
      assertThat(out[0]).isNotEqualTo(out[1]);
      assertThat(VoicesTest.rms(out[1])).isGreaterThan(0.5 * VoicesTest.rms(out[0]));
      double corr = 0, l = 0, r = 0;
      for (int i = 0; i < out[0].length; i++) {
        corr += out[0][i] * out[1][i];
        l += out[0][i] * out[0][i];
        r += out[1][i] * out[1][i];
      }
      assertThat(Math.abs(corr / Math.sqrt(l * r))).as("left-right correlation").isLessThan(0.5);
    }
  }

  @Test
  void nothingComesOutBeforeThePreDelayAndBlockSizeDoesNotMatter() {
    float[][] out = impulse(2, 0.03, 2 * RATE, 4096);
    for (int i = 0; i < (int) (0.03 * RATE); i++) assertThat(Math.abs(out[0][i])).isLessThan(1e-12f);
    assertThat(VoicesTest.peak(out[0])).isGreaterThan(0);
    assertThat(impulse(2, 0.03, 2 * RATE, 100)).isDeepEqualTo(out);
  }
}
