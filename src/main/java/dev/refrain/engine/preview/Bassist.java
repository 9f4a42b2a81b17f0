package dev.refrain.engine.preview;

import dev.refrain.audio.Analysis;
import java.util.SplittableRandom;

/**
 * Plays the genre's bass line under each chord: in sparse sections just the roots, held; in
 * compound meters a root on each pulse. Re-performing an input, the figure moves, note by note, onto
 * the input's bass line where that plays a tone of the chord (an inversion, a walk through the
 * triad): it keeps the genre's rhythm and shape, with the input's note where its root would be.
 */
final class Bassist {
  /** Sixteenth-note funk figure over a 4/4 bar: the root, octave, seventh and fifth around the beat. */
  private static final String FUNK = "x..x..x.x.x..x..";
  private static final int[] FUNK_NOTES = {0, 0, 12, 0, 10, 7, 12, 0};
  private static final int[] BOOGIE = {0, 4, 7, 9, 10, 9, 7, 4};

  private Bassist() {}

  static void play(Sheet sheet, Style style, Passage p, SplittableRandom rng, SourceMusic source) {
    BassLine line = style.genre().bass();
    int low = line == BassLine.SUB ? 28 : 33;
    double level = 0.7 + 0.25 * style.energy();
    for (int c = 0; c < p.chords().size(); c++) {
      Passage.Timed t = p.chords().get(c);
      Chord chord = t.chord();
      Chord next = c + 1 < p.chords().size() ? p.chords().get(c + 1).chord() : chord;
      int root = Composer.place(chord.root(), low);
      double a = t.from();
      double len = t.to() - t.from();
      Writer w = (at, beats, key, v) -> {
        if (at >= len - 1e-9) return;
        double velocity = v * level * (0.94 + 0.06 * rng.nextDouble());
        Analysis.Note heard = source.bassAt(sheet.frame(a + at) / sheet.grid().rate());
        // Only the input's chord tones: a passing note, or one the tracker misheard, would blur the harmony the band follows.
        if (heard != null && chord.contains(Math.floorMod(heard.midi(), 12))) {
          key += Composer.place(heard.midi(), low) - root;
          source.bassTaken++;
        }
        sheet.add(a + at, Math.min(beats, len - at), key, velocity, 0, Part.BASS, null, p.from(), p.to());
      };
      if (p.intensity() <= 1 || style.compound()) {
        double step = style.compound() ? 3 : Math.max(2, len);
        for (double at = 0; at < len - 1e-9; at += step) w.note(at, Math.min(step, len - at) * 0.95, root, 0.85);
        continue;
      }
      int fifth = root + 7;
      int third = root + chord.intervals()[1];
      switch (line) {
        case ROOT -> {
          for (double at = 0; at < len - 1e-9; at += 2) w.note(at, Math.min(2, len - at) * 0.9, root, at == 0 ? 0.9 : 0.75);
          if (len >= 4 && rng.nextBoolean()) w.note(3.5, 0.4, root + 12, 0.6);
        }
        case EIGHTHS -> {
          for (double at = 0; at < len - 1e-9; at += 0.5) w.note(at, 0.45, root, at % 1 == 0 ? 0.9 : 0.7);
        }
        case ROOT_FIFTH -> {
          for (int b = 0; b < len - 1e-9; b += 2) w.note(b, 0.9, (b / 2) % 2 == 0 ? root : fifth - 12 >= low - 2 ? fifth - 12 : fifth, 0.85);
          for (int b = 1; b < len - 1e-9; b += 2) w.note(b, 0.5, root + 12, 0.5);
        }
        case WALKING -> {
          int target = Composer.place(next.root(), low);
          int[] walk = {root, third, fifth, target + (rng.nextBoolean() ? 1 : -1)};
          for (int b = 0; b < len - 1e-9; b++) w.note(b, 0.9, b == len - 1 && len > 1 ? walk[3] : walk[Math.min(b, 2)], b == 0 ? 0.9 : 0.75);
        }
        case OCTAVES -> {
          for (double at = 0; at < len - 1e-9; at += 0.5) w.note(at, 0.4, at % 1 == 0 ? root : root + 12, at % 1 == 0 ? 0.9 : 0.75);
        }
        case SYNCOPATED -> {
          int k = 0;
          for (int s = 0; s < len * 4; s++) {
            if (FUNK.charAt(s % 16) == 'x') w.note(s / 4.0, 0.22, root + FUNK_NOTES[k++ % FUNK_NOTES.length], s % 4 == 0 ? 0.95 : 0.75);
          }
        }
        case SUB -> {
          w.note(0, Math.min(len, 2.5), root, 0.95);
          if (len > 2.5) w.note(2.5, len - 2.5, root, 0.8);
        }
        case OFFBEAT -> {
          for (double at = 0.5; at < len - 1e-9; at += 1) w.note(at, 0.4, root, 0.9);
        }
        case REGGAE -> {
          w.note(0, 1.4, root, 0.9);
          if (len > 2) w.note(2.5, 0.45, third, 0.75);
          if (len > 3) w.note(3, 0.9, fifth, 0.8);
        }
        case BOOGIE -> {
          for (int e = 0; e < len * 2; e++) w.note(e / 2.0, 0.45, root + BOOGIE[e % 8] - (chord.intervals()[1] == 3 && BOOGIE[e % 8] == 4 ? 1 : 0), e % 2 == 0 ? 0.9 : 0.7);
        }
        case BOSSA -> {
          for (double at = 0; at < len - 1e-9; at += 2) {
            w.note(at, 1.4, root, 0.9);
            w.note(at + 1.5, 0.45, fifth - 12 >= low - 2 ? fifth - 12 : fifth, 0.75);
          }
        }
        case PEDAL -> w.note(0, len, root, 0.8);
      }
    }
  }

  /** A note at a time within the chord's span. */
  private interface Writer {
    void note(double at, double beats, int key, double velocity);
  }
}
