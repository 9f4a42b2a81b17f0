package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.audio.Analysis;
import dev.refrain.audio.AudioClip;
import dev.refrain.testing.RunsOnce;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The source analysis's pitch and drum tracks hear what the engine itself played, on a song whose every note is known. */
@RunsOnce
class SourceTracksTest {
  @Test
  void theTracksFindTheSungTuneTheBassLineAndTheKicks() {
    Style style = Style.of("pop, drums, bass, piano, vocals, 100 bpm in C major", null, new SplittableRandom(3));
    int rate = 44_100;
    Grid grid = Grid.of(rate, 30 * rate, style.bpm(), style.beatsPerBar());
    Score score = Composer.compose(style, Lyrics.parse(SourceMusicTest.SONG), grid, new SplittableRandom(11));
    float[][] pcm = MixerTest.render(score, 5, 0, grid.frames(), 8192);
    Analysis a = Analysis.of(new AudioClip(rate, pcm));

    double melody = agreement(score, Part.VOICE, a.melody(), rate);
    double bass = agreement(score, Part.BASS, a.bass(), rate);
    System.out.printf("melody: %d notes, %.0f %% of sung time in tune; bass: %d notes, %.0f %% of bass time in tune%n",
        a.melody().size(), 100 * melody, a.bass().size(), 100 * bass);
    assertThat(melody).isGreaterThan(0.5);
    assertThat(bass).isGreaterThan(0.6);

    // Kicks the score plays on a sixteenth of a full bar, and those heard there.
    int heard = 0, played = 0;
    double beat = 60 / style.bpm();
    for (Note n : score.notes()) {
      if (n.part() != Part.DRUMS || n.key() != Kit.KICK || n.velocity() < 0.5) continue;
      double t = n.start() / (double) rate;
      for (Analysis.DrumBar bar : a.drums()) {
        int step = (int) Math.round((t - bar.seconds()) / (beat / 4));
        if (step >= 0 && step < bar.steps() && Math.abs(t - bar.seconds() - step * beat / 4) < 0.03) {
          played++;
          if (bar.kickAt(step)) heard++;
        }
      }
    }
    System.out.printf("kicks: %d of %d heard%n", heard, played);
    assertThat(played).isGreaterThan(20);
    assertThat(heard).isGreaterThan(played * 7 / 10);
  }

  /** The share of the part's sounding time (notes over 150 ms) in which a tracked note of the same pitch class sounds. */
  private static double agreement(Score score, Part part, List<Analysis.Note> tracked, int rate) {
    double sounding = 0, same = 0;
    for (Note n : score.notes()) {
      if (n.part() != part || n.syllable() == Syllable.BREATH || n.length() < 0.15 * rate) continue;
      double from = n.start() / (double) rate, to = from + n.length() / (double) rate;
      for (double t = from; t < to; t += 0.02) {
        sounding++;
        for (Analysis.Note h : tracked) {
          if (h.seconds() <= t && t < h.seconds() + h.duration() && Math.floorMod(h.midi() - n.key(), 12) == 0) {
            same++;
            break;
          }
        }
      }
    }
    return sounding == 0 ? 0 : same / sounding;
  }
}
