package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class PitchTrackTest {
  private static final int RATE = 22050;

  @Test
  void theMelodyOfHarmonicTonesIsTheirPitchesAtTheirTimes() {
    int[] tune = {60, 64, 67, 69, 74, 72, 65, 62};
    float[] x = new float[(int) (tune.length * 0.5 * RATE) + RATE];
    for (int i = 0; i < tune.length; i++) Signals.note(x, RATE, tune[i], 0.25 + 0.5 * i, 0.45, 0.3);
    List<Analysis.Note> melody = MelodyTrack.of(Salience.of(x, RATE));
    assertThat(melody).extracting(Analysis.Note::midi).containsExactly(60, 64, 67, 69, 74, 72, 65, 62);
    for (int i = 0; i < tune.length; i++) {
      assertThat(melody.get(i).seconds()).as("note %d starts", i).isCloseTo(0.25 + 0.5 * i, within(0.08));
      assertThat(melody.get(i).duration()).as("note %d lasts", i).isCloseTo(0.45, within(0.15));
    }
  }

  @Test
  void theMelodyAboveABassAndChordsIsTheLoudestLine() {
    int[] tune = {72, 74, 76, 79, 77, 76, 74, 72};
    float[] x = new float[(int) (tune.length * 0.5 * RATE) + RATE];
    Signals.progression(x, RATE, 0, false, 0.25, 4, 1, 0.06);
    for (int i = 0; i < tune.length; i++) Signals.note(x, RATE, tune[i], 0.25 + 0.5 * i, 0.45, 0.3);
    assertThat(MelodyTrack.of(Salience.of(x, RATE))).extracting(Analysis.Note::midi).containsExactly(72, 74, 76, 79, 77, 76, 74, 72);
  }

  @Test
  void noiseAndSilenceHaveNoMelody() {
    float[] noise = Signals.pink(6, RATE, 1, 0.5, 3).channels()[0];
    assertThat(MelodyTrack.of(Salience.of(noise, RATE)).stream().mapToDouble(Analysis.Note::duration).sum()).isLessThan(0.6);
    assertThat(MelodyTrack.of(Salience.of(new float[RATE * 3], RATE))).isEmpty();
    assertThat(BassTrack.of(Salience.of(new float[RATE * 3], RATE), 0, 0.5, 3)).isEmpty();
  }

  @Test
  void theBassLineIsTheLowestNoteUnderTheChords() {
    float[] x = new float[RATE * 9];
    // I–IV–V–I in C, then in A minor, a chord a second, bass roots an octave and more below middle C.
    Signals.progression(x, RATE, 0, false, 0, 4, 1, 0.12);
    Signals.progression(x, RATE, 9, true, 4, 4, 1, 0.12);
    List<Analysis.Note> bass = BassTrack.of(Salience.of(x, RATE), 0, 0.5, 9);
    assertThat(bass).extracting(Analysis.Note::midi).containsExactly(36, 41, 43, 36, 45, 38, 40, 45);
    for (int i = 0; i < bass.size(); i++) {
      assertThat(bass.get(i).seconds()).as("bass note %d", i).isCloseTo(i, within(0.51));
      assertThat(bass.get(i).duration()).as("bass note %d", i).isCloseTo(1, within(0.51));
    }
  }

  @Test
  void kicksAndSnaresFallOnTheirSixteenths() {
    double bpm = 120, offset = 0.2;
    float[] x = Signals.drums(bpm, 12, RATE, 1, offset, 7).channels()[0];
    List<Analysis.DrumBar> bars = DrumOnsets.of(Onsets.of(x, RATE), offset, 60 / bpm, 4, 12);
    assertThat(bars).hasSizeGreaterThanOrEqualTo(5);
    // Full bars: kick on 1 and 3 (sixteenths 0 and 8), snare on 2 and 4 (4 and 12); the hats are neither.
    for (Analysis.DrumBar bar : bars.subList(1, 5)) {
      assertThat(bar.steps()).isEqualTo(16);
      assertThat(bar.kick()).as("kick at %.2f s", bar.seconds()).isEqualTo(1L | 1L << 8);
      assertThat(bar.snare()).as("snare at %.2f s", bar.seconds()).isEqualTo(1L << 4 | 1L << 12);
    }
  }

  @Test
  void aKickOffTheBeatIsHeardThere() {
    float[] x = new float[RATE * 8];
    Random rnd = new Random(1);
    // One bar of 4/4 at 120 bpm from 0.5 s, repeated: kick on 1 and the "and" of 2, snare on 3.
    for (double bar = 0.5; bar + 2 <= 8; bar += 2) {
      Signals.kick(x, (int) (bar * RATE), RATE);
      Signals.kick(x, (int) ((bar + 0.75) * RATE), RATE);
      Signals.snare(x, (int) ((bar + 1) * RATE), RATE, rnd);
    }
    List<Analysis.DrumBar> bars = DrumOnsets.of(Onsets.of(x, RATE), 0.5, 0.5, 4, 8);
    Analysis.DrumBar second = bars.stream().filter(b -> Math.abs(b.seconds() - 2.5) < 0.01).findFirst().orElseThrow();
    assertThat(second.kick()).isEqualTo(1L | 1L << 6);
    assertThat(second.snare()).isEqualTo(1L << 8);
  }

  @Test
  void theAnalysisCarriesTheTracks() {
    Analysis a = Analysis.of(Signals.drums(100, 12, 44100, 2, 0.2, 5));
    assertThat(a.drums()).isNotEmpty();
    assertThat(a.drums().stream().filter(b -> b.kick() != 0).count()).isGreaterThan(a.drums().size() / 2);
    Analysis silent = Analysis.of(new AudioClip(44100, new float[2][44100 * 4]));
    assertThat(silent.melody()).isEmpty();
    assertThat(silent.bass()).isEmpty();
    assertThat(silent.drums()).allMatch(b -> b.kick() == 0 && b.snare() == 0);
  }
}
