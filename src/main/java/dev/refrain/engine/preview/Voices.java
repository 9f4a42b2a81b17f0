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
  /**
   * How hard a note may be struck once brightness is added: the softest still speaks, the hardest a
   * quarter past full velocity, where a piano's upper partials stop falling faster than 1/k.
   */
  private static final double MIN_STRIKE = 0.02;
  private static final double MAX_STRIKE = 1.25;
  /** The organ's rotor turns once every 1.25 s. */
  private static final double ROTOR_HZ = 0.8;

  private Voices() {}

  /**
   * The note's sound. {@code brightness} is added to how hard it is struck, which is what opens each
   * instrument's tone (filters, modulation, upper partials, the pick's noise), while its loudness
   * stays with its velocity; the kit's top end plays louder or softer by 2^(2 × brightness). The bass
   * keeps its tone: its harmonics lie below where brightness is heard, so opening it would only
   * thicken the low mids. 0 plays every note as written.
   */
  static Sound sound(Note note, int rate, double brightness, SplittableRandom rng) {
    double hz = Wave.hz(note.key());
    double v = note.velocity();
    double s = Math.clamp(v + brightness, MIN_STRIKE, MAX_STRIKE);
    int gate = note.length();
    long seed = rng.nextLong();
    return switch (note.part()) {
      case PAD -> new Subtractive(PAD, hz, rate, gate, s, 0.3 * v, seed);
      case STRINGS -> new Subtractive(STRINGS, hz, rate, gate, s, 0.3 * v, seed);
      case SYNTH -> new Subtractive(SYNTH, hz, rate, gate, s, 0.45 * v, seed);
      case BRASS -> new Subtractive(BRASS, hz, rate, gate, s, 0.45 * v, seed);
      case SAX -> new Subtractive(SAX, hz, rate, gate, s, 0.28 * v, seed);
      case FLUTE -> new Subtractive(FLUTE, hz, rate, gate, s, 0.27 * v, seed);
      case BASS -> new Subtractive(BASS, hz, rate, gate, v, 0.4 * v, seed);
      case PIANO -> new Piano(hz, rate, Math.max(gate, rate / 20), s, 0.3 * v, seed);
      case EPIANO -> new Fm(EPIANO, hz, rate, Math.max(gate, rate / 20), s, 0.3 * v, rotor(note, rate, EPIANO.tremoloHz()));
      case BELLS -> new Fm(BELLS, hz, rate, Math.max(gate, rate / 10), s, 0.3 * v, 0);
      case ORGAN -> new Organ(hz, rate, gate, 0.2 * (0.6 + 0.4 * v), rotor(note, rate, ROTOR_HZ), seed);
      case GUITAR -> new Pluck(hz, rate, gate, Math.min(1, 0.3 + 0.6 * s), 0.6 * v, seed);
      case VOICE -> new Singer(hz, rate, note.vowel() == null ? Vowel.A : note.vowel(), gate, 1.2 * v, seed);
      case DRUMS -> Drum.of(note.key(), rate, 0.85 * v * (Kit.top(note.key()) ? StrictMath.pow(2, 2 * brightness) : 1), seed);
    };
  }

  /** The phase a free-running modulator has reached at the note's start, so all notes swing together. */
  private static double rotor(Note note, int rate, double hz) {
    double cycles = note.start() * hz / rate;
    return cycles - StrictMath.floor(cycles);
  }
}
