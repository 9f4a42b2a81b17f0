package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class MixerTest {
  private static final int RATE = 44_100;

  /**
   * A dense arrangement at 120 BPM: kick, snare, sixteenth hats, eighth-note bass, quarter-note piano
   * chords, a pad and string chords held a bar each, and a sung line; every part and kit piece once
   * a bar on top when {@code everything}.
   */
  static Score dense(double seconds, boolean everything) {
    List<Note> notes = new ArrayList<>();
    int beat = RATE / 2;
    int bars = (int) (seconds * RATE / (4 * beat));
    int[][] chords = {{60, 64, 67}, {55, 59, 62}, {57, 60, 64}, {53, 57, 60}};
    List<Syllable> sung = List.of(English.word("walking").get(0), English.word("street").get(0), English.word("tonight").get(1),
        English.word("shine").get(0), English.word("sea").get(0));
    SplittableRandom r = new SplittableRandom(3);
    for (int bar = 0; bar < bars; bar++) {
      int t = bar * 4 * beat;
      int[] chord = chords[bar % 4];
      for (int s = 0; s < 16; s++) {
        int at = t + s * beat / 4;
        notes.add(new Note(at, beat / 8, s == 14 ? Kit.OPEN_HAT : Kit.HAT, s % 4 == 0 ? 0.8f : 0.5f, 0.3f, Part.DRUMS, null));
        if (s % 8 == 0 || s == 10) notes.add(new Note(at, beat / 4, Kit.KICK, 0.9f, 0, Part.DRUMS, null));
        if (s % 8 == 4) notes.add(new Note(at, beat / 4, Kit.SNARE, 0.85f, 0, Part.DRUMS, null));
        if (s % 2 == 0) notes.add(new Note(at, beat / 2 - 500, chord[0] - 24, 0.8f, 0, Part.BASS, null));
      }
      if (bar % 8 == 0) notes.add(new Note(t, beat, Kit.CRASH, 0.8f, -0.4f, Part.DRUMS, null));
      for (int b = 0; b < 4; b++) {
        for (int key : chord) notes.add(new Note(t + b * beat, beat - 1000, key, b % 2 == 0 ? 0.75f : 0.55f, 0.15f, Part.PIANO, null));
      }
      for (int i = 0; i < 3; i++) notes.add(new Note(t, 4 * beat, chord[i] - 5, 0.6f, -0.4f + 0.4f * i, Part.PAD, null));
      notes.add(new Note(t, 4 * beat, chord[0] - 12, 0.6f, 0, Part.STRINGS, null));
      for (int i = 0; i < 3; i++) notes.add(new Note(t, 4 * beat, chord[i] + 12, 0.5f, 0.5f - 0.5f * i, Part.STRINGS, null));
      for (int b = 0; b < 4; b++) {
        int key = chord[r.nextInt(3)] + 12 - (b % 2) * 2;
        notes.add(new Note(t + b * beat, beat - 2000, key, 0.8f, 0, Part.VOICE, sung.get(r.nextInt(sung.size()))));
      }
      if (everything) {
        int[] kit = {Kit.RIM, Kit.CLAP, Kit.PEDAL_HAT, Kit.TOM_LOW, Kit.TOM_MID, Kit.TOM_HIGH, Kit.RIDE,
            Kit.TAMBOURINE, Kit.COWBELL, Kit.CONGA_HIGH, Kit.CONGA_LOW, Kit.SHAKER};
        for (int i = 0; i < kit.length; i++) notes.add(new Note(t + i * beat / 3, beat / 4, kit[i], 0.7f, 0.2f, Part.DRUMS, null));
        Part[] others = {Part.EPIANO, Part.ORGAN, Part.GUITAR, Part.SYNTH, Part.BRASS, Part.SAX, Part.FLUTE, Part.BELLS};
        for (int i = 0; i < others.length; i++) notes.add(new Note(t + i * beat / 2, beat, chord[i % 3] + 12, 0.7f, -0.3f, others[i], null));
      }
    }
    notes.sort(Comparator.comparingInt(Note::start));
    return new Score(List.copyOf(notes), 0, java.util.Map.of(), 1);
  }

  static float[][] render(Score score, long seed, int begin, int frames, int block) {
    float[][] out = new float[2][frames];
    Mixer mixer = new Mixer(score, RATE, new SplittableRandom(seed), begin);
    for (int at = 0; at < frames; at += block) mixer.render(out[0], out[1], at, Math.min(block, frames - at));
    return out;
  }

  @Test
  void theMixDoesNotDependOnBlockSizeAndRepeatsExactly() {
    Score score = dense(12, true);
    int frames = 14 * RATE;
    float[][] big = render(score, 42, 0, frames, 32_768);
    assertThat(render(score, 42, 0, frames, 64)).isDeepEqualTo(big);
    assertThat(render(score, 42, 0, frames, 1000)).isDeepEqualTo(big);
    assertThat(render(score, 42, 0, frames, 32_768)).isDeepEqualTo(big);
    assertThat(render(score, 43, 0, frames, 32_768)).isNotEqualTo(big);
    double peak = 0;
    for (float[] c : big) {
      for (float s : c) {
        assertThat(Float.isFinite(s)).isTrue();
        peak = Math.max(peak, Math.abs(s));
      }
    }
    assertThat(peak).isBetween(0.1, 2.0);
  }

  /**
   * A sung line whose notes touch is sung legato: one voice carried from note to note, the earlier
   * note's singer falling silent where the next takes over (notes a few milliseconds apart each
   * ring on and off by themselves), with no dip at the join, and the hand-over falls on the same
   * sample whatever the block size.
   */
  @Test
  void touchingSungNotesAreSungLegatoByOneVoice() {
    int note = RATE / 3;
    List<Syllable> line = Lyrics.parse("[verse]\noh ah oh ah").lines().getFirst().syllables();
    List<Note> legato = new ArrayList<>(), detached = new ArrayList<>();
    for (int i = 0; i < line.size(); i++) {
      legato.add(new Note(RATE / 10 + i * note, note, i % 2 == 0 ? 60 : 64, 0.8f, 0, Part.VOICE, line.get(i)));
      detached.add(new Note(RATE / 10 + i * note, note - 3 * Sound.STEP, i % 2 == 0 ? 60 : 64, 0.8f, 0, Part.VOICE, line.get(i)));
    }
    Score sung = new Score(legato, 0, java.util.Map.of(), 0), apart = new Score(detached, 0, java.util.Map.of(), 0);
    int join = RATE / 10 + note;
    assertThat(voices(sung, join + RATE / 100)).isEqualTo(1);
    assertThat(voices(apart, join + RATE / 100)).isEqualTo(2);
    float[][] whole = render(sung, 1, 0, 2 * RATE, 32_768);
    assertThat(render(sung, 1, 0, 2 * RATE, 64)).isDeepEqualTo(whole);
    assertThat(render(sung, 1, 0, 2 * RATE, 777)).isDeepEqualTo(whole);
    for (int i = 1; i < line.size(); i++) {
      int at = RATE / 10 + i * note;
      double held = rms(whole[0], at - note / 2, at - note / 4);
      assertThat(rms(whole[0], at - RATE / 100, at + RATE / 100)).as("join %d", i).isGreaterThan(0.5 * held);
    }
  }

  /** How many notes sound once the score has been rendered to {@code frames}. */
  private static int voices(Score score, int frames) {
    Mixer mixer = new Mixer(score, RATE, new SplittableRandom(1), 0);
    float[][] out = new float[2][frames];
    mixer.render(out[0], out[1], 0, frames);
    return mixer.sounding();
  }

  private static double rms(float[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) sum += x[i] * x[i];
    return Math.sqrt(sum / (to - from));
  }

  @Test
  void notesBeforeTheBeginningAreNeverPlayedAndDeadNotesAreDropped() {
    Score score = new Score(List.of(new Note(0, RATE, 60, 0.9f, 0, Part.PIANO, null),
        new Note(RATE / 2, RATE / 4, 64, 0.9f, 0, Part.FLUTE, null)), 0, java.util.Map.of(), 1);
    float[][] late = render(score, 1, RATE / 4, RATE / 4, 512);
    // Only the reverb's −400 dB anti-subnormal guard signal.
    assertThat(VoicesTest.peak(late[0]) + VoicesTest.peak(late[1])).isLessThan(1e-12);

    Mixer mixer = new Mixer(score, RATE, new SplittableRandom(1), 0);
    float[][] out = new float[2][4096];
    mixer.render(out[0], out[1], 0, 4096);
    assertThat(mixer.sounding()).isEqualTo(1);
    for (int i = 0; i < 40 * RATE / 4096; i++) mixer.render(out[0], out[1], 0, 4096);
    assertThat(mixer.sounding()).isZero();
  }

  @Test
  void aHardLeftNoteIsLouderOnTheLeftAndAHardRightOneOnTheRight() {
    // The reverb returns on both sides, so the far side is quieter, not silent.
    for (Part part : new Part[] {Part.PIANO, Part.PAD, Part.ORGAN, Part.GUITAR, Part.VOICE}) {
      for (float pan : new float[] {-1, 1}) {
        Score score = new Score(List.of(new Note(0, RATE, 60, 0.9f, pan, part, part == Part.VOICE ? Syllable.of(Phoneme.AO, true) : null)), 0, java.util.Map.of(), 1);
        float[][] out = render(score, 1, 0, 2 * RATE, 4096);
        float[] near = pan < 0 ? out[0] : out[1];
        float[] far = pan < 0 ? out[1] : out[0];
        assertThat(VoicesTest.rms(near)).as(part + " at " + pan).isGreaterThan(1.5 * VoicesTest.rms(far));
      }
    }
  }

  @Test
  void everyPartSitsInTheMixNeitherLostNorSwamping() {
    // Each part alone in the dense arrangement: all within 12 dB of each other, the whole under clipping by far.
    Score score = dense(16, false);
    double quietest = Double.MAX_VALUE, loudest = 0;
    for (Part part : Part.values()) {
      List<Note> only = score.notes().stream().filter(n -> n.part() == part).toList();
      if (only.isEmpty()) {
        List<Note> one = new ArrayList<>();
        for (int bar = 0; bar < 8; bar++) one.add(new Note(bar * 2 * RATE, RATE, 64, 0.7f, 0, part, null));
        only = one;
      }
      double rms = VoicesTest.rms(render(new Score(only, 0, java.util.Map.of(), 1), 5, 0, 16 * RATE, 8192)[0]);
      quietest = Math.min(quietest, rms);
      loudest = Math.max(loudest, rms);
    }
    assertThat(loudest / quietest).isLessThan(4);
    assertThat(VoicesTest.peak(render(score, 5, 0, 16 * RATE, 8192)[0])).isLessThan(2);
  }
}
