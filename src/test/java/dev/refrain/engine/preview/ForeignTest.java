package dev.refrain.engine.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class ForeignTest {
  /** A word's syllables in ARPAbet, a trailing ' on the stressed ones. */
  private static List<String> sung(String word) {
    return Foreign.word(word).stream().map(Syllable::toString).toList();
  }

  private static List<Phoneme> nuclei(String word) {
    return Foreign.word(word).stream().map(Syllable::nucleus).toList();
  }

  @Test
  void spanishIsSungInItsOwnVowelsAndStressedWhereTheAccentIs() {
    assertThat(sung("corazón")).containsExactly("K AO", "R AA", "T S AO N'");
    assertThat(sung("canción")).containsExactly("K AA N", "S Y AO N'");
  }

  @Test
  void withoutAnAccentThePenultimateIsStressed() {
    assertThat(sung("amore")).containsExactly("AA", "M AO'", "R EH");
    assertThat(sung("sol")).containsExactly("S AO L'");
  }

  @Test
  void germanDigraphsAndUmlauts() {
    assertThat(sung("schön")).containsExactly("SH ER N'");
    assertThat(sung("müde")).containsExactly("M IY'", "D EH");
    assertThat(sung("straße")).containsExactly("S T R AA'", "S EH");
    assertThat(sung("zeit")).containsExactly("T S EY T'");
  }

  @Test
  void consonantsFollowTheirNeighbours() {
    assertThat(sung("cielo")).containsExactly("S Y EH'", "L AO");  // c soft before i; i glides
    assertThat(sung("casa")).containsExactly("K AA'", "S AA");
    assertThat(sung("gente")).containsExactly("JH EH N'", "T EH");
    assertThat(sung("guerra")).containsExactly("G EH'", "R AA");  // u silent, rr once
    assertThat(sung("agua")).containsExactly("AA'", "G W AA");
    assertThat(sung("queso")).containsExactly("K EH'", "S AO");
    assertThat(sung("niño")).containsExactly("N IY'", "N Y AO");
    assertThat(sung("hola")).containsExactly("AO'", "L AA");  // h silent
    assertThat(sung("jamás")).containsExactly("Y AA", "M AA S'");
    assertThat(sung("taxi")).containsExactly("T AA K'", "S IY");
    assertThat(sung("bella")).containsExactly("B EH'", "L AA");
  }

  @Test
  void consonantsBetweenVowelsSplitBeforeTheLastOrBeforeALegalCluster() {
    assertThat(sung("tanto")).containsExactly("T AA N'", "T AO");
    assertThat(sung("otra")).containsExactly("AO'", "T R AA");
    assertThat(sung("hombre")).containsExactly("AO M'", "B R EH");
    assertThat(sung("siempre")).containsExactly("S Y EH M'", "P R EH");
  }

  @Test
  void diphthongsAreOneSyllableAndAnAccentedIOrUBreaksThem() {
    assertThat(sung("aire")).containsExactly("AY'", "R EH");
    assertThat(sung("bueno")).containsExactly("B W EH'", "N AO");
    assertThat(sung("día")).containsExactly("D IY'", "AA");
    assertThat(sung("país")).containsExactly("P AA", "IY S'");
    assertThat(sung("playa")).containsExactly("P L AA'", "Y AA");
    assertThat(sung("frau")).containsExactly("F R AW'");
  }

  @Test
  void aWordWithoutAVowelIsHummedOnAh() {
    assertThat(sung("hmm")).containsExactly("AH M'");
    assertThat(sung("brrr")).containsExactly("B AH R'");
  }

  @Test
  void kanaAreMorae() {
    assertThat(sung("さくら")).containsExactly("S AA'", "K UW", "R AA'");
    assertThat(sung("サクラ")).isEqualTo(sung("さくら"));
    assertThat(sung("ｻｸﾗ")).isEqualTo(sung("さくら"));  // half-width
    assertThat(sung("しち")).containsExactly("SH IY'", "CH IY");
    assertThat(sung("つ")).containsExactly("T S UW'");
  }

  @Test
  void smallKanaFuseAndLongVowelsAddNoSyllable() {
    assertThat(sung("きょう")).containsExactly("K Y AO'");
    assertThat(sung("しゃしん")).containsExactly("SH AA'", "SH IY N");
    assertThat(sung("ティー")).containsExactly("T IY'");
    assertThat(sung("ラーメン")).containsExactly("R AA'", "M EH N");
  }

  @Test
  void dakutenComposedOrCombiningSingTheSame() {
    assertThat(sung("がっこう")).containsExactly("G AA'", "K AO");
    assertThat(sung("か\u3099っこう")).isEqualTo(sung("がっこう"));
    assertThat(sung("ほ\u309Aん")).containsExactly("P AO N'");
  }

  @Test
  void nClosesTheMoraBeforeItOrStandsAlone() {
    assertThat(sung("にほん")).containsExactly("N IY'", "HH AO N");
    assertThat(sung("ん")).containsExactly("UH N'");
  }

  @Test
  void hangulBlocksDecomposeIntoOnsetVowelAndFinal() {
    assertThat(sung("사랑")).containsExactly("S AA'", "R AA NG");
    assertThat(sung("한국")).containsExactly("HH AA N'", "G UW K");
    assertThat(sung("여기")).containsExactly("Y AH'", "G IY");
    assertThat(sung("과자")).containsExactly("G W AA'", "JH AA");
    assertThat(sung("꽃")).containsExactly("K AO T'");  // ㄲ is tense k, ㅊ closes as t
  }

  @Test
  void cyrillicIsTransliteratedThenSyllabified() {
    assertThat(nuclei("любовь")).containsExactly(Phoneme.UW, Phoneme.AO);
    assertThat(sung("любовь")).containsExactly("L Y UW'", "B AO V");
    assertThat(sung("нет")).containsExactly("N EH T'");  // е after a consonant has no y
    assertThat(sung("ещё")).containsExactly("Y EH'", "SH Y AO");
    assertThat(sung("їжак")).containsExactly("Y IY'", "ZH AA K");
  }

  @Test
  void greekDigraphsAndTheTonos() {
    assertThat(sung("αγάπη")).containsExactly("AA", "G AA'", "P IY");
    assertThat(sung("ουρανός")).containsExactly("UW", "R AA", "N AO S'");
    assertThat(sung("είναι")).containsExactly("IY'", "N EH");
  }

  @Test
  void hanCharactersAreOneMandarinShapedSyllableEach() {
    List<Syllable> sung = Foreign.word("我爱你");
    assertThat(sung).hasSize(3).allSatisfy(s -> assertThat(s.nucleus().vowel()).isTrue());
    assertThat(sung).extracting(Syllable::stressed).containsExactly(true, false, true);
    Syllable alone = Foreign.word("爱").getFirst();  // the same character sounds the same anywhere
    assertThat(List.of(alone.onset(), alone.nucleus(), alone.coda()))
        .isEqualTo(List.of(sung.get(1).onset(), sung.get(1).nucleus(), sung.get(1).coda()));
    assertThat(Foreign.word("我爱你")).isEqualTo(sung);
  }

  @Test
  void mixedScriptsAreSungRunByRun() {
    assertThat(Foreign.word("東京タワー")).hasSize(4);
    assertThat(sung("東京タワー").subList(2, 4)).containsExactly("T AA'", "W AA");
  }

  @Test
  void otherScriptsGetAboutOneSyllablePerTwoAndAHalfCodePoints() {
    assertThat(Foreign.word("حبيبي")).hasSize(2);
    assertThat(Foreign.word("ש")).hasSize(1);
    assertThat(Foreign.word("नमस्ते")).hasSize(2);
    assertThat(Foreign.word("สวัสดีครับ")).hasSize(4).isEqualTo(Foreign.word("สวัสดีครับ"));
  }

  @Test
  void nothingToSingOnlyForNothing() {
    assertThat(Foreign.word(null)).isEmpty();
    assertThat(Foreign.word("")).isEmpty();
    assertThat(Foreign.word("っ")).isNotEmpty();
    assertThat(Foreign.word("ー")).isNotEmpty();
    assertThat(Foreign.word("\u0301")).isNotEmpty();
  }

  @Test
  void everyCodePointOfManyScriptsSingsAtLeastOneWellFormedSyllable() {
    int[][] ranges = {{0x0041, 0x024F}, {0x0370, 0x052F}, {0x0590, 0x06FF}, {0x0900, 0x0DFF}, {0x0E00, 0x0EFF},
        {0x1100, 0x11FF}, {0x1E00, 0x1FFF}, {0x3000, 0x30FF}, {0x3130, 0x318F}, {0x4E00, 0x4FFF}, {0xAC00, 0xAD00},
        {0xD7A0, 0xD7FF}, {0xFB00, 0xFFFF}, {0x1B000, 0x1B16F}, {0x1D400, 0x1D7FF}, {0x10FFF0, 0x10FFFF}};
    for (int[] range : ranges) {
      for (int cp = range[0]; cp <= range[1]; cp++) wellFormed(Character.toString(cp));
    }
  }

  @Test
  void randomStringsNeverThrowAndAlwaysSing() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      // mostly from a few busy scripts, sometimes anything at all, lone surrogates included
      StringBuilder word = new StringBuilder();
      int pool = random.nextInt(4);
      for (int n = 1 + random.nextInt(12); n > 0; n--) {
        word.appendCodePoint(switch (pool) {
          case 0 -> "abcdeghijlnoqrsuyzñéüäöç'".codePointAt(random.nextInt(25));
          case 1 -> 0x3041 + random.nextInt(0xBF);
          case 2 -> random.nextBoolean() ? 0x0400 + random.nextInt(0x100) : 0x0370 + random.nextInt(0x90);
          default -> random.nextInt(0x110000);
        });
      }
      wellFormed(word.toString());
    }
  }

  private static void wellFormed(String word) {
    List<Syllable> sung = Foreign.word(word);
    assertThat(sung).as("%s", word.codePoints().mapToObj(Integer::toHexString).toList()).isNotEmpty()
        .isEqualTo(Foreign.word(word))
        .allSatisfy(s -> {
          assertThat(s.nucleus().vowel()).isTrue();
          assertThat(IntStream.concat(s.onset().stream().mapToInt(p -> p.vowel() ? 1 : 0),
              s.coda().stream().mapToInt(p -> p.vowel() ? 1 : 0)).sum()).isZero();
        });
  }
}
