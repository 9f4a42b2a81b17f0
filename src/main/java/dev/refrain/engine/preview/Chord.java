package dev.refrain.engine.preview;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chord as its root's pitch class and the intervals stacked on it, read from a Roman numeral
 * relative to a key: upper case major, lower case minor, {@code b}/{@code #} for chromatic roots,
 * suffixes {@code 7} (dominant on upper case, minor seventh on lower), {@code maj7}, {@code o} (diminished),
 * {@code sus} (suspended fourth) and {@code 9} (added ninth).
 */
record Chord(int root, int[] intervals) {
  private static final Pattern ROMAN = Pattern.compile("([b#]?)(VII|VI|V|IV|III|II|I|vii|vi|v|iv|iii|ii|i)(maj7|7|o|sus|9)?");
  private static final List<String> NUMERALS = List.of("i", "ii", "iii", "iv", "v", "vi", "vii");
  static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
  static final int[] MINOR = {0, 2, 3, 5, 7, 8, 10};

  /** A numeral's degree counts in the key's own scale, so in minor {@code III} is the relative major. */
  static Chord parse(String numeral, int tonic, boolean minor) {
    Matcher m = ROMAN.matcher(numeral);
    if (!m.matches()) throw new IllegalArgumentException("not a chord: " + numeral);
    String roman = m.group(2);
    int degree = NUMERALS.indexOf(roman.toLowerCase(Locale.ROOT));
    int shift = m.group(1).isEmpty() ? 0 : m.group(1).equals("b") ? -1 : 1;
    int root = Math.floorMod(tonic + (minor ? MINOR : MAJOR)[degree] + shift, 12);
    boolean major = Character.isUpperCase(roman.charAt(0));
    String suffix = m.group(3) == null ? "" : m.group(3);
    int third = major ? 4 : 3;
    int[] intervals = switch (suffix) {
      case "7" -> new int[] {0, third, 7, 10};
      case "maj7" -> new int[] {0, third, 7, 11};
      case "o" -> new int[] {0, 3, 6};
      case "sus" -> new int[] {0, 5, 7};
      case "9" -> new int[] {0, third, 7, 14};
      default -> new int[] {0, third, 7};
    };
    return new Chord(root, intervals);
  }

  static Chord triad(int tonic, boolean minor) {
    return new Chord(tonic, new int[] {0, minor ? 3 : 4, 7});
  }

  boolean contains(int pitchClass) {
    for (int i : intervals) {
      if (Math.floorMod(root + i, 12) == Math.floorMod(pitchClass, 12)) return true;
    }
    return false;
  }

  /** The chord's notes, each the lowest of its pitch class at or above {@code low}, in stacking order. */
  int[] voicing(int low) {
    int[] keys = new int[intervals.length];
    for (int i = 0; i < keys.length; i++) keys[i] = Composer.place(root + intervals[i], low);
    return keys;
  }

  /** The nearest key to {@code key} in [lo, hi] whose pitch class belongs to the chord, preferring the lower on a tie. */
  int nearest(int key, int lo, int hi) {
    for (int d = 0; d < 12; d++) {
      if (key - d >= lo && key - d <= hi && contains(key - d)) return key - d;
      if (key + d >= lo && key + d <= hi && contains(key + d)) return key + d;
    }
    return key;
  }
}
