package dev.refrain.engine.preview;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The sung lines of a lyric sheet, each as its syllables' vowels; no lines at all means instrumental. */
record Lyrics(List<Line> lines) {
  /**
   * @param section index of the section the line is in (a new one starts at each tag)
   * @param lifted whether the section is a chorus or hook, sung higher
   */
  record Line(List<Vowel> syllables, int section, boolean lifted) {}

  private static final Pattern TAG = Pattern.compile("\\[([^\\]]*)\\]");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern NOT_LETTERS = Pattern.compile("[^\\p{L}']+");
  /** Scripts that write one syllable per character. */
  private static final Set<Character.UnicodeScript> SYLLABIC = EnumSet.of(
      Character.UnicodeScript.HAN, Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA,
      Character.UnicodeScript.HANGUL);

  /** `[inst]` and `[instrumental]` are tags with no lines under them, so they come out instrumental. */
  static Lyrics parse(String text) {
    List<Line> lines = new ArrayList<>();
    int section = 0;
    boolean lifted = false;
    for (String raw : text == null ? new String[0] : text.split("\\R")) {
      var tags = TAG.matcher(raw);
      while (tags.find()) {
        String tag = tags.group(1).toLowerCase(Locale.ROOT);
        section++;
        lifted = tag.contains("chorus") || tag.contains("hook");
      }
      List<Vowel> syllables = syllables(TAG.matcher(raw).replaceAll(" "));
      if (!syllables.isEmpty()) lines.add(new Line(List.copyOf(syllables), section, lifted));
    }
    return new Lyrics(List.copyOf(lines));
  }

  boolean instrumental() {
    return lines.isEmpty();
  }

  private static List<Vowel> syllables(String text) {
    String plain = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
    List<Vowel> out = new ArrayList<>();
    for (String word : NOT_LETTERS.split(plain)) {
      word = word.replace("'", "");
      if (word.isEmpty()) continue;
      if (word.chars().allMatch(c -> c >= 'a' && c <= 'z')) latin(word, out);
      else other(word, out);
    }
    return out;
  }

  /** One syllable per vowel group (a leading y is a consonant, a final lone e is silent). */
  private static void latin(String word, List<Vowel> out) {
    int before = out.size();
    boolean inVowel = false;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      boolean vowel = "aeiou".indexOf(c) >= 0 || (c == 'y' && i > 0);
      if (vowel && !inVowel) out.add(Vowel.of(c));
      inVowel = vowel;
    }
    int found = out.size() - before;
    boolean silentE = found > 1 && word.endsWith("e") && !word.endsWith("le")
        && "aeiouy".indexOf(word.charAt(word.length() - 2)) < 0;
    if (silentE) out.remove(out.size() - 1);
    if (found == 0) out.add(Vowel.U);
  }

  /** Other scripts: each CJK character is a syllable; elsewhere about one per two and a half letters. */
  private static void other(String word, List<Vowel> out) {
    int[] cps = word.codePoints().toArray();
    int count = SYLLABIC.contains(Character.UnicodeScript.of(cps[0])) ? cps.length : Math.max(1, (int) Math.round(cps.length / 2.5));
    Vowel[] vowels = Vowel.values();
    for (int i = 0; i < count; i++) out.add(vowels[Math.floorMod(cps[i * cps.length / count], vowels.length)]);
  }
}
