package dev.refrain.engine.preview;

/** How a genre's bass player moves through the chords. */
enum BassLine {
  /** The root on the strong beats. */
  ROOT,
  /** Driving eighths on the root. */
  EIGHTHS,
  /** Root and fifth alternating, boom-chick. */
  ROOT_FIFTH,
  /** Quarter notes walking through the chord toward the next root. */
  WALKING,
  /** Eighths jumping between the root and its octave. */
  OCTAVES,
  /** Sixteenth-note syncopation around the root, octave and seventh. */
  SYNCOPATED,
  /** Long sub notes that follow the kick. */
  SUB,
  /** Off-beat eighths between the kicks. */
  OFFBEAT,
  /** Root held, then a walk up to the next bar, leaving beat one of the drop empty. */
  REGGAE,
  /** Root, third, fifth, sixth: the boogie figure. */
  BOOGIE,
  /** Root on one, fifth on the and of two: the bossa figure. */
  BOSSA,
  /** One long note per chord. */
  PEDAL
}
