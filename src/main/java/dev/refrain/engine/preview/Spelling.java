package dev.refrain.engine.preview;

import java.util.ArrayList;
import java.util.List;

/**
 * English letter-to-sound rules, for words the pronouncing dictionary lacks (names, slang, coinages):
 * the common consonant and vowel spellings, longest first, a silent final e that lengthens the
 * vowel before it ("shine"), soft c and g before e, i and y. Rough, but each letter group becomes
 * the sound an English reader would most often give it.
 */
final class Spelling {
  /** Spellings tried at each position, longest first; a rule's sounds are ARPAbet, space separated. */
  private static final String[][] RULES = {
      {"tch", "CH"}, {"igh", "AY"}, {"ght", "T"}, {"sch", "S K"}, {"dge", "JH"},
      {"ch", "CH"}, {"sh", "SH"}, {"th", "TH"}, {"ph", "F"}, {"wh", "W"}, {"ck", "K"}, {"ng", "NG"},
      {"qu", "K W"}, {"gh", ""}, {"wr", "R"}, {"kn", "N"}, {"mb", "M"},
      {"ee", "IY"}, {"ea", "IY"}, {"oo", "UW"}, {"ou", "AW"}, {"ow", "OW"}, {"ai", "EY"}, {"ay", "EY"},
      {"oa", "OW"}, {"oi", "OY"}, {"oy", "OY"}, {"au", "AO"}, {"aw", "AO"}, {"ie", "IY"}, {"ei", "EY"},
      {"ey", "IY"}, {"ue", "UW"}, {"ew", "UW"},
      {"ar", "AA R"}, {"or", "AO R"}, {"er", "ER"}, {"ir", "ER"}, {"ur", "ER"},
  };
  private static final String VOWELS = "aeiouy";

  private Spelling() {}

  /** The sounds of a lower-case word of the letters a to z. */
  static List<Phoneme> sounds(String word) {
    // A consonant and a final "le" make a syllable of their own: "snazzle" is snaz-zul.
    int n = word.length();
    if (n > 3 && word.endsWith("le") && !vowel(word, n - 3)) {
      List<Phoneme> out = sounds(word.substring(0, n - 2));
      out.add(Phoneme.AH);
      out.add(Phoneme.L);
      return out;
    }
    List<Phoneme> out = new ArrayList<>();
    int i = 0;
    while (i < word.length()) {
      String matched = null;
      for (String[] rule : RULES) {
        // "ng" before a vowel is two sounds ("engage"); the rule holds only at a word's or syllable's end.
        if (word.startsWith(rule[0], i) && !(rule[0].equals("ng") && i + 2 < word.length() && vowel(word, i + 2))) {
          matched = rule[1];
          i += rule[0].length();
          break;
        }
      }
      if (matched == null) {
        matched = letter(word, i);
        i++;
        while (i < word.length() && word.charAt(i) == word.charAt(i - 1) && !vowel(word, i)) i++; // "ll" is one l
      }
      for (String s : matched.split(" ")) {
        if (!s.isEmpty()) out.add(Phoneme.valueOf(s));
      }
    }
    if (out.stream().noneMatch(Phoneme::vowel)) out.add(out.isEmpty() ? 0 : 1, Phoneme.AH);
    return out;
  }

  /** One letter's sound where no spelling rule applies. */
  private static String letter(String word, int i) {
    char c = word.charAt(i);
    char next = i + 1 < word.length() ? word.charAt(i + 1) : ' ';
    boolean soft = next == 'e' || next == 'i' || next == 'y';
    return switch (c) {
      case 'a', 'e', 'i', 'o', 'u' -> vowelSound(word, i);
      case 'y' -> i == 0 ? "Y" : i == word.length() - 1 ? (syllables(word) > 1 ? "IY" : "AY") : "IH";
      case 'c' -> soft ? "S" : "K";
      case 'g' -> soft && i > 0 ? "JH" : "G";
      case 'j' -> "JH";
      case 'x' -> i == 0 ? "Z" : "K S";
      case 'q' -> "K";
      case 'h' -> "HH";
      case 'b' -> "B";
      case 'd' -> "D";
      case 'f' -> "F";
      case 'k' -> "K";
      case 'l' -> "L";
      case 'm' -> "M";
      case 'n' -> "N";
      case 'p' -> "P";
      case 'r' -> "R";
      case 's' -> "S";
      case 't' -> "T";
      case 'v' -> "V";
      case 'w' -> "W";
      case 'z' -> "Z";
      default -> "";
    };
  }

  /** A lone vowel letter: long before one consonant and a final silent e ("name"), silent as that e, else short. */
  private static String vowelSound(String word, int i) {
    char c = word.charAt(i);
    int last = word.length() - 1;
    if (c == 'e' && i == last && i > 1 && !vowel(word, i - 1) && syllables(word.substring(0, i - 1)) > 0) return "";
    boolean magic = i + 2 == last && word.charAt(last) == 'e' && !vowel(word, i + 1);
    return switch (c) {
      case 'a' -> magic ? "EY" : "AE";
      case 'e' -> magic || i == last ? "IY" : "EH";
      case 'i' -> magic ? "AY" : "IH";
      case 'o' -> magic || i == last ? "OW" : "AA";
      default -> magic ? "UW" : "AH";
    };
  }

  private static boolean vowel(String word, int i) {
    return VOWELS.indexOf(word.charAt(i)) >= 0;
  }

  /** Vowel groups in the letters (a final e counts: callers ask about what comes before one). */
  private static int syllables(String word) {
    int groups = 0;
    for (int i = 0; i < word.length(); i++) {
      if (vowel(word, i) && (i == 0 || !vowel(word, i - 1))) groups++;
    }
    return groups;
  }
}
