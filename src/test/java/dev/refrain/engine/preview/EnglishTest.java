package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class EnglishTest {
  /** A word's syllables in ARPAbet, a trailing ' on the stressed one. */
  private static List<String> sung(String word) {
    return English.word(word).stream().map(Syllable::toString).toList();
  }

  private static List<Phoneme> phonemes(String arpabet) {
    return Arrays.stream(arpabet.split(" ")).map(Phoneme::valueOf).toList();
  }

  /** The dictionary file as the class path has it, one entry a line: the word, then its sounds. */
  private static List<String> dictionaryLines() throws IOException {
    try (InputStream in = Cmudict.class.getResourceAsStream(Cmudict.RESOURCE)) {
      assertThat(in).as("the pronouncing dictionary on the class path").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /** The word a dictionary line is for, without the "(2)" that marks a second pronunciation. */
  private static String headword(String line) {
    String word = line.substring(0, line.indexOf(' '));
    int paren = word.indexOf('(');
    return paren < 0 ? word : word.substring(0, paren);
  }

  /** What is wrong with a word's syllables, or null: each must be one vowel with only consonants around it, one at most stressed. */
  private static String malformed(String word, List<Syllable> syllables) {
    if (syllables.isEmpty()) return word + ": no syllables";
    for (Syllable s : syllables) {
      if (!s.nucleus().vowel() || s.onset().stream().anyMatch(Phoneme::vowel) || s.coda().stream().anyMatch(Phoneme::vowel)) {
        return word + ": " + syllables;
      }
    }
    if (syllables.stream().filter(Syllable::stressed).count() > 1) return word + ": stressed twice, " + syllables;
    return null;
  }

  private static void assertWellFormed(String word, List<Syllable> syllables) {
    assertThat(malformed(word, syllables)).isNull();
  }

  private static List<Phoneme> flattened(List<Syllable> syllables) {
    List<Phoneme> out = new ArrayList<>();
    for (Syllable s : syllables) {
      out.addAll(s.onset());
      out.add(s.nucleus());
      out.addAll(s.coda());
    }
    return out;
  }

  @Test
  void dictionaryWordsAreSungInTheirSyllablesWithTheStressWhereItFalls() {
    assertThat(sung("street")).containsExactly("S T R IY T'");
    assertThat(sung("tonight")).containsExactly("T AH", "N AY T'");
    assertThat(sung("beautiful")).containsExactly("B Y UW'", "T AH", "F AH L");
    assertThat(sung("love")).containsExactly("L AH V'");
    // An unstressed prefix hands the stress to the second syllable.
    assertThat(sung("believe")).containsExactly("B IH", "L IY V'");
    assertThat(sung("about")).containsExactly("AH", "B AW T'");
    assertThat(sung("remember")).containsExactly("R IH", "M EH M'", "B ER");
    // ...unless the word is one that leans on its first.
    assertThat(sung("every")).containsExactly("EH'", "V ER", "IY");
  }

  @Test
  void shortFunctionWordsAreSungLight() {
    for (String word : List.of("the", "and", "a", "of", "to", "my", "you")) {
      assertThat(English.word(word)).as(word).hasSize(1).noneMatch(Syllable::stressed);
    }
    assertThat(sung("the")).containsExactly("DH AH");
    assertThat(sung("and")).containsExactly("AH N D");
    assertThat(sung("night")).as("a content word of one syllable is stressed").containsExactly("N AY T'");
  }

  @Test
  void consonantsBetweenVowelsStartTheNextSyllableAsFarAsEnglishAllows() {
    assertThat(sung("follow")).containsExactly("F AA'", "L OW");
    // "MP" cannot start a syllable, so M and P close the first.
    assertThat(sung("empty")).containsExactly("EH M P'", "T IY");
    // "ST" and "STR" can, so they carry over whole.
    assertThat(English.word("mistake")).extracting(Syllable::toString)
        .map(s -> s.replace("'", "")).containsExactly("M IH", "S T EY K");
    assertThat(sung("extra")).containsExactly("EH K'", "S T R AH");
    assertThat(sung("instrument")).containsExactly("IH N'", "S T R AH", "M AH N T");
    assertThat(sung("afraid")).containsExactly("AH", "F R EY D'");
    // NG never starts an English syllable.
    assertThat(sung("angry")).containsExactly("AE NG'", "G R IY");
  }

  @Test
  void wordsMissingFromTheDictionaryAreAKnownWordPlusACommonEnding() {
    for (String missing : List.of("vibing", "lovin'", "boppin'", "chillest", "vibed", "ghosting", "zorbing")) {
      assertThat(Cmudict.get().lookup(missing)).as("%s is not in the dictionary itself", missing).isNull();
    }
    assertThat(sung("vibing")).as("vibe + ing").containsExactly("V AY'", "B IH NG");
    assertThat(sung("lovin'")).as("love + in', sung ing").containsExactly("L AH'", "V IH NG");
    assertThat(sung("boppin'")).as("bop + in', the doubled p once").containsExactly("B AA'", "P IH NG");
    assertThat(sung("chillest")).containsExactly("CH IH'", "L AH S T");
    assertThat(sung("vibed")).containsExactly("V AY B D'");
    assertThat(sung("ghosting")).containsExactly("G OW'", "S T IH NG");
    assertThat(English.known("vibing")).as("a word and an ending count as English").isTrue();
    assertThat(English.known("lovin'")).isTrue();
    // An invented stem has nothing to stand on: the spelling reads it, ending and all.
    assertThat(English.known("zorbing")).isFalse();
    assertThat(sung("zorbing")).containsExactly("Z AO R'", "B IH NG");
  }

  @Test
  void anEndingSoundsAsItsStemWants() {
    for (String missing : List.of("shinin'", "ghosted", "glitched", "fizzes", "vaped", "vapes", "fadin'")) {
      assertThat(Cmudict.get().lookup(missing)).as("%s is not in the dictionary itself", missing).isNull();
    }
    // A short stem with a long-vowel twin takes the twin: an undoubled consonant means a dropped e.
    assertThat(sung("shinin'")).as("shine + in', not shin").containsExactly("SH AY'", "N IH NG");
    assertThat(sung("fadin'")).as("fade + in', not fad").containsExactly("F EY'", "D IH NG");
    assertThat(sung("vaped")).as("vape + ed, voiceless after p").containsExactly("V EY P T'");
    // "-ed" is a syllable after t or d, a t after a voiceless sound; "-es" a syllable after a hiss.
    assertThat(sung("ghosted")).containsExactly("G OW'", "S T IH D");
    assertThat(sung("glitched")).containsExactly("G L IH CH T'");
    assertThat(sung("fizzes")).containsExactly("F IH'", "Z IH Z");
    assertThat(sung("vapes")).containsExactly("V EY P S'");
  }

  @Test
  void inventedWordsAreReadByTheirSpelling() {
    assertThat(English.known("blorf")).isFalse();
    assertThat(sung("blorf")).containsExactly("B L AO R F'");
    assertThat(English.known("snazzle")).isFalse();
    assertThat(English.word("snazzle")).isNotEmpty();
    assertThat(sung("snazzle")).as("a consonant and a final le are a syllable").containsExactly("S N AE'", "Z AH L");
    assertThat(sung("zibble")).containsExactly("Z IH'", "B AH L");
    // The spelling rules alone, on words the dictionary also has.
    assertThat(Spelling.sounds("knight")).isEqualTo(phonemes("N AY T"));
    assertThat(Spelling.sounds("shine")).as("a silent e lengthens the vowel").isEqualTo(phonemes("SH AY N"));
    assertThat(Spelling.sounds("phone")).isEqualTo(phonemes("F OW N"));
    assertThat(Spelling.sounds("city")).as("soft c, final y").isEqualTo(phonemes("S IH T IY"));
  }

  @Test
  void aWordWithoutAVowelIsHummedOnOne() {
    assertThat(sung("hmm")).containsExactly("HH M AH'");
    assertThat(sung("zzz")).containsExactly("Z AH'");
    assertThat(sung("")).hasSize(1);
  }

  @Test
  void everyDictionaryWordSplitsIntoWellFormedSyllablesThatKeepItsSounds() throws IOException {
    List<String> lines = dictionaryLines();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (int i = 0; i < lines.size(); i += lines.size() / 2500) {
      String word = headword(lines.get(i));
      List<Syllable> syllables = English.word(word);
      String wrong = malformed(word, syllables);
      List<Phoneme> sounds = Cmudict.get().lookup(word);
      if (wrong == null && sounds.stream().anyMatch(Phoneme::vowel) && !flattened(syllables).equals(sounds)) {
        wrong = word + ": " + syllables + " are not the dictionary's " + sounds;
      }
      if (wrong != null) problems.add(wrong);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(2000);
    assertThat(problems).isEmpty();
  }

  @Test
  void randomLettersNeverFailAndAlwaysGiveSyllables() {
    SplittableRandom rng = new SplittableRandom(11);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = 1 + rng.nextInt(16); n > 0; n--) b.append((char) ('a' + rng.nextInt(26)));
      String word = b.toString();
      String wrong = malformed(word, English.word(word));
      if (wrong != null) problems.add(wrong);
    }
    for (String odd : List.of("dancin'", "rock'n'roll", "y", "q", "xx", "aeiou", "rhythms", "strengths")) {
      String wrong = malformed(odd, English.word(odd));
      if (wrong != null) problems.add(wrong);
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theDictionaryHoldsTheWholeCmuListAndMissesCleanly() {
    Cmudict dict = Cmudict.get();
    assertThat(dict.size()).isGreaterThan(130_000);
    assertThat(dict.lookup("zzyzzyxq")).isNull();
    assertThat(dict.lookup("stree")).as("a prefix of street, not a word").isNull();
    assertThat(dict.lookup("streetz")).isNull();
    assertThat(dict.lookup("")).isNull();
    assertThat(dict.lookup("Street")).as("keys are lower case").isNull();
  }

  @Test
  void wordsThatArePrefixesOfOthersAreFoundExactly() {
    Cmudict dict = Cmudict.get();
    assertThat(dict.lookup("a")).isEqualTo(phonemes("AH"));
    assertThat(dict.lookup("a's")).isEqualTo(phonemes("EY Z"));
    assertThat(dict.lookup("street")).isEqualTo(phonemes("S T R IY T"));
    assertThat(dict.lookup("streets")).isEqualTo(phonemes("S T R IY T S"));
    assertThat(dict.lookup("streetcar")).isEqualTo(phonemes("S T R IY T K AA R"));
    // "read" has a second pronunciation on the line after "read's": the first is the one given.
    assertThat(dict.lookup("read")).isEqualTo(phonemes("R EH D"));
    // The file's first and last lines.
    assertThat(dict.lookup("'bout")).isEqualTo(phonemes("B AW T"));
    assertThat(dict.lookup("zywicki")).isEqualTo(phonemes("Z IH W IH K IY"));
  }

  @Test
  void everyWordInTheFileIsFoundByTheBinarySearch() throws IOException {
    Cmudict dict = Cmudict.get();
    Set<String> seen = new HashSet<>();
    List<String> misses = new ArrayList<>();
    for (String line : dictionaryLines()) {
      int space = line.indexOf(' ');
      String word = line.substring(0, space);
      if (word.indexOf('(') >= 0 || !seen.add(word)) continue;
      List<Phoneme> found = dict.lookup(word);
      String sounds = found == null ? "" : String.join(" ", found.stream().map(Enum::name).toList());
      if (!sounds.equals(line.substring(space + 1).strip())) misses.add(line + " -> " + found);
    }
    assertThat(seen.size()).isGreaterThan(120_000);
    assertThat(misses).as("words not found as their line has them").isEmpty();
  }
}
