package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import java.util.Random;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class CentroidTest {
  private static final int RATE = 22050;

  @Test
  void aSineSitsAtItsFrequencyAndWhiteNoiseAtHalfTheBand() {
    for (double hz : new double[] {220, 1000, 4000}) {
      assertThat(Centroid.of(Signals.sine(3, RATE, 1, hz, 0.5, 0).channels()[0], RATE)).as("%s Hz", hz).isCloseTo(hz, within(hz * 0.03));
    }
    float[] noise = white(3 * RATE, 1);
    assertThat(Centroid.of(noise, RATE)).isCloseTo(RATE / 4.0, within(RATE * 0.01));
  }

  @Test
  void aLowPassDarkensAndLoudnessDoesNotMatter() {
    float[] noise = white(3 * RATE, 2);
    // Two one-pole low-passes at about 370 Hz: the highs fall 12 dB an octave.
    float[] dark = new float[noise.length];
    double low = 0;
    double lower = 0;
    for (int i = 0; i < noise.length; i++) {
      low += 0.1 * (noise[i] - low);
      dark[i] = (float) (lower += 0.1 * (low - lower));
    }
    assertThat(Centroid.of(dark, RATE)).isLessThan(Centroid.of(noise, RATE) / 4);
    float[] quiet = noise.clone();
    for (int i = 0; i < quiet.length; i++) quiet[i] *= 0.01f;
    assertThat(Centroid.of(quiet, RATE)).isCloseTo(Centroid.of(noise, RATE), within(1e-6));
  }

  @Test
  void silenceHasNoBrightnessAndTinyInputsAreMeasured() {
    assertThat(Centroid.of(new float[RATE], RATE)).isNaN();
    assertThat(Centroid.of(new float[0], RATE)).isNaN();
    assertThat(Centroid.of(Signals.sine(0.01, RATE, 1, 2000, 0.5, 0).channels()[0], RATE)).isBetween(1000.0, 3000.0);
  }

  private static float[] white(int n, long seed) {
    Random rnd = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() - 0.5);
    return x;
  }
}
