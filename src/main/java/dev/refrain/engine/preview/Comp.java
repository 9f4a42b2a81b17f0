package dev.refrain.engine.preview;

/** How a genre's keyboards and guitars play the chords. */
enum Comp {
  /** Chords held for their whole length. */
  SUSTAIN,
  /** Chords on the beats. */
  BLOCK,
  /** Broken chords in eighths. */
  ARPEGGIO,
  /** Down-up strumming. */
  STRUM,
  /** Root-fifth power chords in eighths. */
  POWER,
  /** Short chords on the off-beats: house stabs, reggae skank. */
  OFFBEAT,
  /** Sixteenth-note stabs and scratches. */
  FUNK,
  /** Short shell voicings on syncopated beats. */
  JAZZ,
  /** The bossa's syncopated chord figure. */
  BOSSA,
  /** Bass note on one, chord on two and three. */
  WALTZ
}
