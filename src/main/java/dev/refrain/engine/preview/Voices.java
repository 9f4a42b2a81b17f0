package dev.refrain.engine.preview;

import java.util.SplittableRandom;

/**
 * The instrument rack: turns a note into the sound of its part, at a level that sits in the mix.
 * Gains are set so that a typical arrangement (drums, bass, a chord part, a pad and the sung line)
 * balances by ear; the mastering stage sets the absolute level later.
 */
final class Voices {
  private static final Subtractive.Patch PAD = new Subtractive.Patch(4, 22, 0, 0, 0, 1400, 0.5, 0.8, 3,
      0.9, 0, 0.25, 4, 1, 0, 1, 0.6, 2, 0.85, 0.9, true);
  private static final Subtractive.Patch STRINGS = new Subtractive.Patch(4, 14, 0, 0, 0, 2600, 0.6, 0.5, 1,
      0.8, 0, 5.5, 12, 0.4, 0, 1, 0.35, 1, 0.9, 0.5, true);
  private static final Subtractive.Patch SYNTH = new Subtractive.Patch(2, 10, 0, 0, 0, 900, 0.7, 2.5, 0.35,
      2.5, 0.3, 5, 8, 0.3, 0, 1, 0.003, 0.5, 0.5, 0.12, false);
  private static final Subtractive.Patch BRASS = new Subtractive.Patch(3, 8, 0, 0, 0, 1100, 0.8, 1.5, 0.4,
      1, 0.4, 5.2, 10, 0.5, 40, 0.04, 0.04, 0.6, 0.8, 0.15, false);
  private static final Subtractive.Patch SAX = new Subtractive.Patch(2, 3, 0.42, 0, 0.12, 1600, 0.5, 1, 0.3,
      1.6, 0.6, 5, 15, 0.3, 30, 0.05, 0.03, 0.5, 0.8, 0.1, false);
  private static final Subtractive.Patch FLUTE = new Subtractive.Patch(0, 0, 0, 1, 0.08, 3500, 0.3, 0, 1,
      0.7, 0.8, 4.8, 12, 0.3, 15, 0.03, 0.06, 0.5, 0.85, 0.12, false);
  private static final Subtractive.Patch BASS = new Subtractive.Patch(1, 0, 0, 1.2, 0, 350, 0.8, 1.5, 0.2,
      1.2, 1.0, 0, 0, 1, 0, 1, 0.004, 0.8, 0.7, 0.06, false);
  private static final Fm.Patch EPIANO = new Fm.Patch(1, 0.45, 0.2, 1.2, 0.25, 0.06, 4.5, 0.3, 4.5, 0.35);
  private static final Fm.Patch BELLS = new Fm.Patch(3.5, 0.5, 0.15, 2.5, 0, 1, 3, 0.8, 0, 0);
  /** The organ's rotor turns once every 1.25 s. */
  private static final double ROTOR_HZ = 0.8;

  private Voices() {}

  static Sound sound(Note note, int rate, SplittableRandom rng) {
    double hz = Wave.hz(note.key());
    double v = note.velocity();
    int gate = note.length();
    long seed = rng.nextLong();
    return switch (note.part()) {
      case PAD -> new Subtractive(PAD, hz, rate, gate, v, 0.3 * v, seed);
      case STRINGS -> new Subtractive(STRINGS, hz, rate, gate, v, 0.3 * v, seed);
      case SYNTH -> new Subtractive(SYNTH, hz, rate, gate, v, 0.45 * v, seed);
      case BRASS -> new Subtractive(BRASS, hz, rate, gate, v, 0.45 * v, seed);
      case SAX -> new Subtractive(SAX, hz, rate, gate, v, 0.28 * v, seed);
      case FLUTE -> new Subtractive(FLUTE, hz, rate, gate, v, 0.27 * v, seed);
      case BASS -> new Subtractive(BASS, hz, rate, gate, v, 0.4 * v, seed);
      case PIANO -> new Piano(hz, rate, Math.max(gate, rate / 20), v, 0.3 * v, seed);
      case EPIANO -> new Fm(EPIANO, hz, rate, Math.max(gate, rate / 20), v, 0.3 * v, rotor(note, rate, EPIANO.tremoloHz()));
      case BELLS -> new Fm(BELLS, hz, rate, Math.max(gate, rate / 10), v, 0.3 * v, 0);
      case ORGAN -> new Organ(hz, rate, gate, 0.2 * (0.6 + 0.4 * v), rotor(note, rate, ROTOR_HZ), seed);
      case GUITAR -> new Pluck(hz, rate, gate, 0.3 + 0.6 * v, 0.6 * v, seed);
      case VOICE -> new Singer(hz, rate, note.vowel() == null ? Vowel.A : note.vowel(), gate, 1.2 * v, seed);
      case DRUMS -> Drum.of(note.key(), rate, 0.85 * v, seed);
    };
  }

  /** The phase a free-running modulator has reached at the note's start, so all notes swing together. */
  private static double rotor(Note note, int rate, double hz) {
    double cycles = note.start() * hz / rate;
    return cycles - StrictMath.floor(cycles);
  }
}
