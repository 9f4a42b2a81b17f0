package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class KeyTest {
  private static final String[] NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

  @Test
  void findsTheKeyOfChordProgressions() {
    int exact = 0, acceptable = 0;
    for (int tonic = 0; tonic < 12; tonic++) {
      for (boolean minor : new boolean[] {false, true}) {
        float[] x = new float[44100 * 16];
        Signals.progression(x, 44100, tonic, minor, 0, 16, 1.0, 0.08);
        Analysis a = Analysis.of(new AudioClip(44100, new float[][] {x, x}));
        // The relative key shares the scale: the relative minor of major tonic t is t + 9, of minor t it is t + 3.
        int relative = (tonic + (minor ? 3 : 9)) % 12;
        boolean right = a.tonic() == tonic && a.minor() == minor;
        boolean rel = a.tonic() == relative && a.minor() != minor;
        if (right) exact++;
        if (right || rel) acceptable++;
        System.out.printf("%-2s %s -> %-2s %s (r = %.2f)%s%n", NAMES[tonic], minor ? "minor" : "major", NAMES[a.tonic()],
            a.minor() ? "minor" : "major", a.keyConfidence(), right ? "" : rel ? "  relative" : "  WRONG");
      }
    }
    System.out.printf("key: %d/24 exactly right, %d/24 right or relative%n", exact, acceptable);
    assertThat(acceptable).isGreaterThanOrEqualTo(22);
    assertThat(exact).isGreaterThanOrEqualTo(18);
  }
}
