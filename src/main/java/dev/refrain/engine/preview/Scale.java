package dev.refrain.engine.preview;

import java.util.List;

/**
 * Scales the tune keeps to besides the plain major and minor: pentatonics, modes and the
 * traditions' own. The chords stay those of the major or minor key whose third the scale has (a
 * pentatonic or blues scale takes the key's), so modes colour the melody over familiar harmony.
 */
enum Scale {
  PENTATONIC(new int[] {0, 2, 4, 7, 9}, new int[] {0, 3, 5, 7, 10}, null, "pentatonic", "pentatonic scale", "gong mode"),
  BLUES(new int[] {0, 2, 3, 4, 7, 9}, new int[] {0, 3, 5, 6, 7, 10}, null, "blues scale"),
  DORIAN(new int[] {0, 2, 3, 5, 7, 9, 10}, null, true, "dorian"),
  PHRYGIAN(new int[] {0, 1, 3, 5, 7, 8, 10}, null, true, "phrygian"),
  LYDIAN(new int[] {0, 2, 4, 6, 7, 9, 11}, null, false, "lydian"),
  MIXOLYDIAN(new int[] {0, 2, 4, 5, 7, 9, 10}, null, false, "mixolydian"),
  HARMONIC_MINOR(new int[] {0, 2, 3, 5, 7, 8, 11}, null, true, "harmonic minor"),
  HIJAZ(new int[] {0, 1, 4, 5, 7, 8, 10}, null, false, "hijaz", "phrygian dominant", "freygish", "ahava rabbah"),
  DOUBLE_HARMONIC(new int[] {0, 1, 4, 5, 7, 8, 11}, null, false, "double harmonic", "bhairav", "byzantine scale"),
  IN(new int[] {0, 1, 5, 7, 8}, null, true, "in scale", "miyako bushi", "japanese scale", "hirajoshi");

  private final int[] major;
  private final int[] minor;
  private final Boolean minorThird;
  private final List<String> words;

  /** {@code minor} null: the same notes in both; {@code minorThird} null: the key decides. */
  Scale(int[] major, int[] minor, Boolean minorThird, String... words) {
    this.major = major;
    this.minor = minor == null ? major : minor;
    this.minorThird = minorThird;
    this.words = List.of(words);
  }

  /** Semitones above the tonic, ascending, in a key that is minor or not. */
  int[] steps(boolean minorKey) {
    return (minorKey ? minor : major).clone();
  }

  /** Whether the key is minor under this scale: its own third where it has one, else {@code minorKey}. */
  boolean minor(boolean minorKey) {
    return minorThird == null ? minorKey : minorThird;
  }

  List<String> words() {
    return words;
  }

  /** For logs: {@code harmonic minor}. */
  String label() {
    return words.getFirst();
  }
}
