package dev.refrain.engine.preview;

/**
 * The drum kit's pieces as General MIDI drum keys: what {@link Note#key()} holds for
 * {@link Part#DRUMS}. The composer writes these; the instrument rack knows how each one sounds.
 */
final class Kit {
  /** Not in General MIDI, which has no brushes: a wire brush swept across the snare. */
  static final int BRUSH = 30;
  static final int KICK = 36;
  static final int RIM = 37;
  static final int SNARE = 38;
  static final int CLAP = 39;
  static final int HAT = 42;
  static final int TOM_LOW = 45;
  static final int PEDAL_HAT = 44;
  static final int OPEN_HAT = 46;
  static final int TOM_MID = 47;
  static final int CRASH = 49;
  static final int TOM_HIGH = 50;
  static final int RIDE = 51;
  static final int TAMBOURINE = 54;
  static final int COWBELL = 56;
  static final int CONGA_HIGH = 62;
  static final int CONGA_LOW = 64;
  static final int SHAKER = 70;

  private Kit() {}

  /** The piece a drummer playing brushes sweeps or taps instead: the snare, hats and ride; kick, toms and crash stay. */
  static int brushed(int key) {
    return switch (key) {
      case SNARE, RIM, CLAP, HAT, OPEN_HAT, PEDAL_HAT, RIDE -> BRUSH;
      default -> key;
    };
  }

  /** Whether the piece is part of the kit's top end (hats, cymbals, tambourine, shaker): most of a mix's highs. */
  static boolean top(int key) {
    return switch (key) {
      case HAT, PEDAL_HAT, OPEN_HAT, CRASH, RIDE, TAMBOURINE, SHAKER -> true;
      default -> false;
    };
  }
}
