package dev.refrain.engine.preview;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An English word as sung syllables. Its sounds come from the pronouncing dictionary; a word it
 * lacks is tried as a known word plus a common ending ("dancin'", "skies", "rocked"), and failing
 * that read by {@link Spelling}'s rules. Consonants between two vowels start the second syllable as
 * far as English lets a syllable start so ("a-fraid", "extra" as "ek-stra"), as a singer carries
 * them over.
 * The dictionary has no stress marks, so the stress is the first syllable's, or the second's after
 * an unstressed prefix ("to-NIGHT", "be-LIEVE"); short function words are sung light.
 */
final class English {
  /**
   * Endings tried when the word itself is missing, with their sounds; "in'" is sung "ing". "ed" and
   * "(e)s" are left to {@link #inflect}, as their sound depends on the stem's last one.
   */
  private static final String[][] ENDINGS = {
      {"in'", "IH NG"}, {"ing", "IH NG"}, {"ies", "IY Z"}, {"es", "+S"}, {"s", "+S"}, {"ed", "+D"}, {"er", "ER"},
      {"ers", "ER Z"}, {"ly", "L IY"}, {"est", "AH S T"}, {"ness", "N AH S"}, {"less", "L AH S"}, {"ful", "F AH L"},
  };
  /** A stem whose vowel letter is short unless an e follows ("shin" for "shinin'" is "shine"): consonant, vowel, consonant. */
  private static final Pattern SILENT_E_STEM = Pattern.compile(".*[^aeiou][aeiou][b-df-hj-np-tvz]");
  private static final Set<Phoneme> SIBILANT = EnumSet.of(Phoneme.S, Phoneme.Z, Phoneme.SH, Phoneme.ZH, Phoneme.CH, Phoneme.JH);
  private static final Set<Phoneme> VOICELESS = EnumSet.of(Phoneme.P, Phoneme.T, Phoneme.K, Phoneme.F, Phoneme.TH, Phoneme.S,
      Phoneme.SH, Phoneme.CH);
  /** Two- and three-consonant clusters a syllable may start with. */
  private static final Set<String> ONSETS = Set.of(
      "P L", "P R", "P Y", "B L", "B R", "B Y", "T R", "T W", "D R", "D W", "K L", "K R", "K W", "K Y", "G L", "G R",
      "G W", "F L", "F R", "F Y", "TH R", "TH W", "SH R", "S L", "S W", "S M", "S N", "S P", "S T", "S K", "M Y",
      "HH Y", "V Y", "S P L", "S P R", "S T R", "S K R", "S K W", "S K L");
  private static final Set<String> PREFIXES = Set.of("a", "be", "de", "re", "to", "for", "un", "con", "com", "ex", "e");
  private static final Set<String> FIRST_STRESSED = Set.of("under", "into", "unto", "onto", "even", "ever", "every",
      "evening", "answer", "after", "afternoon", "angel", "anything", "anyone", "only", "other", "over", "open",
      "ocean", "echo", "empty", "enter", "rescue", "record", "regular");
  /** Short words sung unstressed when they stand alone. */
  private static final Set<String> LIGHT = Set.of("a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at",
      "for", "with", "my", "your", "its", "it", "is", "be", "we", "me", "he", "she", "his", "her", "our", "as", "so",
      "by", "from", "that", "this", "i", "i'm", "im", "you", "you're", "are", "was", "can", "will", "just", "if", "up",
      "do", "than", "then", "them", "they", "their", "there", "were", "has", "had", "not", "no", "all", "am");

  private English() {}

  /** Whether the dictionary knows the lower-case word (or a plain form of it): how a line's language is told. */
  static boolean known(String word) {
    return dictionary(word) != null;
  }

  /** The word's syllables; a word of no vowel at all ("hmm") is hummed on one. */
  static List<Syllable> word(String word) {
    List<Phoneme> sounds = dictionary(word);
    if (sounds == null) sounds = Spelling.sounds(word.replaceAll("[^a-z]", ""));
    return syllables(sounds, word);
  }

  private static List<Phoneme> dictionary(String word) {
    Cmudict dict = Cmudict.get();
    List<Phoneme> found = dict.lookup(word);
    if (found == null && word.indexOf('\'') >= 0 && !word.endsWith("in'")) found = dict.lookup(word.replace("'", ""));
    if (found != null) return found;
    for (String[] ending : ENDINGS) {
      if (!word.endsWith(ending[0]) || word.length() < ending[0].length() + 3) continue;
      String stem = word.substring(0, word.length() - ending[0].length());
      // "es" is its own syllable only after a hissing letter ("kisses"); "hopes" is "hope" + s.
      if (ending[0].equals("es") && !stem.matches(".*(s|x|z|ch|sh)")) continue;
      List<Phoneme> base = stem(dict, stem, ending[0]);
      if (base == null) continue;
      List<Phoneme> out = new ArrayList<>(base);
      if (ending[1].startsWith("+")) {
        out.addAll(inflect(base.getLast(), ending[1].equals("+D")));
      } else {
        for (String s : ending[1].split(" ")) out.add(Phoneme.valueOf(s));
      }
      return List.copyOf(out);
    }
    return null;
  }

  /** The dictionary's sounds of the word an ending was taken from, or null. */
  private static List<Phoneme> stem(Cmudict dict, String stem, String ending) {
    boolean vowelEnding = ending.charAt(0) == 'e' || ending.charAt(0) == 'i';
    // Before a vowel ending a final e drops and a short vowel's consonant doubles, so "shin" + "ing" is "shine".
    if (vowelEnding && SILENT_E_STEM.matcher(stem).matches()) {
      List<Phoneme> withE = dict.lookup(stem + "e");
      if (withE != null) return withE;
    }
    List<Phoneme> base = dict.lookup(stem);
    if (base == null && vowelEnding) base = dict.lookup(stem + "e");
    if (base == null && ending.equals("ies")) base = dict.lookup(stem + "y");
    if (base == null && stem.length() > 2 && stem.charAt(stem.length() - 1) == stem.charAt(stem.length() - 2)) {
      base = dict.lookup(stem.substring(0, stem.length() - 1)); // "running" is "run" + ing
    }
    return base;
  }

  /**
   * The sounds of "-ed" ({@code past}) or "-(e)s" after a stem ending in {@code last}: a syllable of
   * its own after the same kind of sound ("ghost-ed", "kiss-es"), voiceless after a voiceless one
   * ("walked" ends in T), voiced otherwise.
   */
  private static List<Phoneme> inflect(Phoneme last, boolean past) {
    if (past) {
      if (last == Phoneme.T || last == Phoneme.D) return List.of(Phoneme.IH, Phoneme.D);
      return List.of(VOICELESS.contains(last) ? Phoneme.T : Phoneme.D);
    }
    if (SIBILANT.contains(last)) return List.of(Phoneme.IH, Phoneme.Z);
    return List.of(VOICELESS.contains(last) ? Phoneme.S : Phoneme.Z);
  }

  private static List<Syllable> syllables(List<Phoneme> sounds, String word) {
    List<Integer> nuclei = new ArrayList<>();
    for (int i = 0; i < sounds.size(); i++) if (sounds.get(i).vowel()) nuclei.add(i);
    if (nuclei.isEmpty()) return List.of(new Syllable(sounds, Phoneme.AH, List.of(), !LIGHT.contains(word)));
    int stress = stressed(word, sounds, nuclei);
    List<Syllable> out = new ArrayList<>();
    int onsetFrom = 0;
    for (int k = 0; k < nuclei.size(); k++) {
      int v = nuclei.get(k);
      int nextVowel = k + 1 < nuclei.size() ? nuclei.get(k + 1) : sounds.size();
      int codaEnd = k + 1 < nuclei.size() ? v + 1 + carried(sounds.subList(v + 1, nextVowel)) : sounds.size();
      out.add(new Syllable(sounds.subList(onsetFrom, v), sounds.get(v), sounds.subList(v + 1, codaEnd), k == stress));
      onsetFrom = codaEnd;
    }
    return List.copyOf(out);
  }

  /** How many of the consonants between two vowels close the first syllable: all but the longest legal onset. */
  private static int carried(List<Phoneme> between) {
    int n = between.size();
    for (int take = Math.min(3, n); take >= 2; take--) {
      String cluster = String.join(" ", between.subList(n - take, n).stream().map(Enum::name).toList());
      if (ONSETS.contains(cluster)) return n - take;
    }
    return n == 0 || between.get(n - 1) == Phoneme.NG ? n : n - 1;
  }

  /** Index of the stressed syllable; -1 when a one-syllable function word is sung light. */
  private static int stressed(String word, List<Phoneme> sounds, List<Integer> nuclei) {
    if (nuclei.size() == 1) return LIGHT.contains(word) ? -1 : 0;
    Phoneme first = sounds.get(nuclei.get(0));
    boolean reduced = first == Phoneme.AH || first == Phoneme.IH || first == Phoneme.ER;
    if (!FIRST_STRESSED.contains(word) && reduced && PREFIXES.stream().anyMatch(p -> word.startsWith(p) && word.length() > p.length() + 2)) {
      return 1;
    }
    return 0;
  }
}
