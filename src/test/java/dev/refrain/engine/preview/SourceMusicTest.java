package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.audio.Analysis;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Re-performing an input: the composer sings on its tune, plays its bass line and its kick and snare, in the new style. */
class SourceMusicTest {
  private static final int RATE = 44_100;
  /** Two sections of lyrics, sung over every input these tests re-perform. */
  static final String SONG = """
      [verse]
      Walking down the empty street tonight
      Every window holds a little light
      [chorus]
      Sing it loud, sing it clear
      Everybody's here
      """;

  /**
   * A 100 bpm input, 30 s, in C major throughout: a tune of a note a beat up and down the scale, a
   * bass line walking C E G A, kicks on 1 and the "and" of 2.
   */
  private static SourceMusic input() {
    double beat = 0.6;
    int[] scale = {60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62};
    int[] walk = {36, 40, 43, 45};
    List<Analysis.Note> melody = new ArrayList<>(), bass = new ArrayList<>();
    List<Analysis.DrumBar> drums = new ArrayList<>();
    List<Analysis.BarChord> chords = new ArrayList<>();
    for (int k = 0; k * beat < 30; k++) {
      melody.add(new Analysis.Note(k * beat, 0.9 * beat, scale[k % scale.length]));
      bass.add(new Analysis.Note(k * beat, beat, walk[k % 4]));
      if (k % 4 == 0) drums.add(new Analysis.DrumBar(k * beat, 16, 1L | 1L << 6, 1L << 4 | 1L << 12));
      if (k % 4 == 0) chords.add(new Analysis.BarChord(k * beat, 0, false, new float[12]));
    }
    return new SourceMusic(chords, melody, bass, drums);
  }

  private static Score compose(String prompt, SourceMusic source) {
    Style style = Style.of(prompt + ", 100 bpm in C major", null, new SplittableRandom(3));
    Grid grid = Grid.of(RATE, 30 * RATE, style.bpm(), style.beatsPerBar());
    return Composer.compose(style, Lyrics.parse(SONG), grid, new SplittableRandom(11), source);
  }

  @Test
  void theSingerSingsTheInputsTune() {
    SourceMusic source = input();
    Score score = compose("rock", source);
    List<Note> sung = score.notes().stream().filter(n -> n.part() == Part.VOICE && n.syllable() != Syllable.BREATH).toList();
    int same = 0;
    for (Note n : sung) {
      // The syllable's vowel, not its consonants sung ahead of the beat, lands on the input's note.
      double t = (n.start() + n.length() / 2.0) / RATE;
      Analysis.Note heard = source.melodyAt(t);
      if (heard != null && Math.floorMod(heard.midi() - n.key(), 12) == 0) same++;
    }
    assertThat(sung).hasSizeGreaterThan(20);
    assertThat(source.melodyTaken).isGreaterThanOrEqualTo(sung.size());
    assertThat(same).as("%d of %d sung notes on the input's pitch", same, sung.size()).isGreaterThan(sung.size() * 8 / 10);
    // Without an input, the tune is the engine's own.
    Score own = compose("rock", SourceMusic.none());
    assertThat(own.notes().stream().filter(n -> n.part() == Part.VOICE).map(Note::key).toList())
        .isNotEqualTo(sung.stream().map(Note::key).toList());
  }

  @Test
  void theBassFollowsTheInputsLineInTheGenresRhythm() {
    SourceMusic source = input();
    Score score = compose("rock", source);
    List<Note> bass = score.notes().stream().filter(n -> n.part() == Part.BASS).toList();
    int same = 0;
    for (Note n : bass) {
      Analysis.Note heard = source.bassAt(n.start() / (double) RATE + 1e-3);
      // The line's chord tones (C, E, G) are taken; its passing A leaves the chord's root.
      int expected = heard == null || heard.midi() % 12 == 9 ? 0 : heard.midi() % 12;
      if (Math.floorMod(n.key(), 12) == expected) same++;
    }
    assertThat(same).as("%d of %d bass notes on the input's line", same, bass.size()).isGreaterThan(bass.size() * 8 / 10);
    assertThat(source.bassTaken).isGreaterThan(bass.size() / 2);
    assertThat(bass.stream().filter(n -> n.key() % 12 == 4).count()).as("E, from the input's line").isGreaterThan(bass.size() / 6);
    // Rock's bass plays eighths: twice the input's one note a beat.
    assertThat(bass.size()).isGreaterThan(source.bass.size() * 3 / 2);
  }

  @Test
  void theDrumsPlayTheInputsKickAndSnareUnlessTheGrooveIsTheGenre() {
    SourceMusic source = input();
    Score rock = compose("rock", source);
    double sixteenth = 0.15;
    int onKick = 0, offKick = 0;
    for (Note n : rock.notes()) {
      if (n.part() != Part.DRUMS || n.key() != Kit.KICK) continue;
      int step = (int) Math.round(n.start() / (double) RATE / sixteenth) % 16;
      if (step == 0 || step == 6) onKick++;
      else offKick++;
    }
    assertThat(source.drumBarsTaken).isGreaterThan(5);
    assertThat(onKick).isGreaterThan(10);
    // Rock's own kick is on 1 and 3 (step 8): gone where the input's bar was taken; the ending's kick may stay.
    assertThat(offKick).isLessThanOrEqualTo(2);

    SourceMusic again = input();
    Score house = compose("house", again);
    assertThat(again.drumBarsTaken).as("four on the floor is house").isZero();
    assertThat(house.notes().stream().filter(n -> n.part() == Part.DRUMS && n.key() == Kit.KICK
        && Math.round(n.start() / (double) RATE / sixteenth) % 16 == 8).count()).isGreaterThan(5);
  }
}
