package dev.refrain.engine.preview;

import java.util.SplittableRandom;

/** The instrument rack: turns a note into the sound of its part, at a level that sits in the mix. */
final class Voices {
  private Voices() {}

  static Sound sound(Note note, int rate, SplittableRandom rng) {
    double hz = Wave.hz(note.key());
    double v = note.velocity();
    int gate = note.length();
    return switch (note.part()) {
      case PAD -> new Subtractive(hz, rate, 7, 1200, new Envelope(rate, 0.35, 1.0, 0.8, 0.35, gate), 0.3 * v, rng);
      case STRINGS -> new Subtractive(hz, rate, 12, 2600, new Envelope(rate, 0.5, 1.5, 0.9, 0.35, gate), 0.32 * v, rng);
      case SYNTH, BRASS, SAX, FLUTE -> new Subtractive(hz, rate, 5, 2400, new Envelope(rate, 0.004, 0.18, 0.25, 0.05, gate), 0.4 * v, rng);
      case BASS -> new Subtractive(hz, rate, 3, 550, new Envelope(rate, 0.005, 0.35, 0.6, 0.06, gate), 0.6 * v, rng);
      case PIANO, EPIANO, ORGAN, BELLS -> new Piano(hz, rate, gate, 0.12 * v);
      case GUITAR -> new Pluck(hz, rate, gate, 0.3 + 0.5 * v, 0.35 * v, rng);
      case VOICE -> new Singer(hz, rate, note.vowel(), gate, 1.4 * v, rng);
      case DRUMS -> Drum.of(note.key(), rate, 0.8 * v, rng);
    };
  }
}
