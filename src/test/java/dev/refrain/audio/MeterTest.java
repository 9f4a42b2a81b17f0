package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class MeterTest {
  @Test
  void waltzAccentIsThreeAndFourFourIsFour() {
    for (double bpm : new double[] {90, 120, 150}) {
      double offset = 0.31;
      Analysis waltz = Analysis.of(Signals.clicks(bpm, 24, 44100, offset, 3));
      Analysis four = Analysis.of(Signals.clicks(bpm, 24, 44100, offset, 4));
      System.out.printf("%5.1f BPM: waltz -> %d (downbeat %.3f s), 4/4 -> %d (downbeat %.3f s)%n",
          bpm, waltz.beatsPerBar(), waltz.downbeatSeconds(), four.beatsPerBar(), four.downbeatSeconds());
      assertThat(waltz.beatsPerBar()).isEqualTo(3);
      assertThat(four.beatsPerBar()).isEqualTo(4);
      // The accented click (the first, then every bar) is the downbeat, within the phase tolerance.
      assertThat(waltz.downbeatSeconds()).isCloseTo(offset, within(0.025));
      assertThat(four.downbeatSeconds()).isCloseTo(offset, within(0.025));
    }
  }

  @Test
  void drumsAreFourFour() {
    for (double bpm : new double[] {80, 100, 128, 170}) {
      assertThat(Analysis.of(Signals.drums(bpm, 24, 44100, 2, 0.2, 5)).beatsPerBar()).isEqualTo(4);
    }
  }
}
