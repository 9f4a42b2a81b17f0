package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import java.util.List;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class SectionsTest {
  private static final int RATE = 44100;

  /** A (soft chord loop in C) 0–20 s, B (another progression, louder, with drums) 20–40 s, A again 40–60 s. */
  static AudioClip threeParts(double bpm) {
    float[] x = new float[RATE * 60];
    double bar = 4 * 60 / bpm;
    Signals.progression(x, RATE, 0, false, 0, 20, bar / 2, 0.05);
    Signals.progression(x, RATE, 9, true, 20, 20, bar, 0.12);
    float[] d = Signals.drums(bpm, 20, RATE, 1, 0, 31).channels()[0];
    for (int i = 0; i < d.length; i++) x[20 * RATE + i] += 0.7f * d[i];
    Signals.progression(x, RATE, 0, false, 40, 20, bar / 2, 0.05);
    return new AudioClip(RATE, new float[][] {x, x.clone()});
  }

  @Test
  void findsTheBoundariesOfThreeParts() {
    for (double bpm : new double[] {120, 96}) {
      Analysis a = Analysis.of(threeParts(bpm));
      List<Double> s = a.sectionStarts();
      System.out.printf("sections @%.0f BPM (found %.2f BPM): %s%n", bpm, a.bpm(), s);
      assertThat(s.get(0)).isEqualTo(0.0);
      assertThat(s).isSorted();
      assertThat(s.stream().filter(t -> Math.abs(t - 20) <= 2).count()).isEqualTo(1);
      assertThat(s.stream().filter(t -> Math.abs(t - 40) <= 2).count()).isEqualTo(1);
      assertThat(s.size()).isLessThanOrEqualTo(4); // at most one spurious boundary
      for (int i = 1; i < s.size(); i++) assertThat(s.get(i) - s.get(i - 1)).isGreaterThanOrEqualTo(8 - 1e-9);
      // Boundaries sit on the beat grid.
      double beat = 60 / a.bpm();
      for (double t : s.subList(1, s.size())) {
        double k = (t - a.firstBeatSeconds()) / beat;
        assertThat(k).isCloseTo(Math.rint(k), within(1e-6));
      }
    }
  }

  @Test
  void steadyMusicHasOneSection() {
    AudioClip loop = Signals.drums(110, 40, RATE, 2, 0.1, 4);
    assertThat(Analysis.of(loop).sectionStarts()).containsExactly(0.0);
  }
}
