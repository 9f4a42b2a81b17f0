package dev.refrain.engine.preview;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A lyric sheet as sections of sung lines, each line as its syllables' vowels and stresses. Tags such
 * as {@code [Verse 2]} or {@code [Chorus - anthemic x2]} start sections; untagged stanzas are verses
 * (a stanza that comes back word for word is a chorus). No sung line at all means instrumental.
 */
record Lyrics(List<Block> blocks) {
  /** One sung line: a vowel per syllable, and which syllables carry the stress. */
  record Line(List<Vowel> syllables, List<Boolean> stressed) {}

  /**
   * One section of the sheet.
   *
   * @param key the same for every return of the same words, so a chorus sung again is sung the same
   */
  record Block(Section kind, List<Line> lines, String key) {
    int syllables() {
      return lines.stream().mapToInt(l -> l.syllables().size()).sum();
    }
  }

  private static final Pattern TAG = Pattern.compile("\\[([^\\]]*)\\]");
  private static final Pattern REPEAT = Pattern.compile("(?:\\bx\\s*(\\d)|(\\d)\\s*x\\b|×\\s*(\\d))");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern NOT_LETTERS = Pattern.compile("[^\\p{L}']+");
  /** Scripts that write one syllable per character. */
  private static final Set<Character.UnicodeScript> SYLLABIC = EnumSet.of(
      Character.UnicodeScript.HAN, Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA,
      Character.UnicodeScript.HANGUL);
  /** Short words sung unstressed when they stand alone. */
  private static final Set<String> LIGHT = Set.of("a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at",
      "for", "with", "my", "your", "its", "it", "is", "be", "we", "me", "he", "she", "his", "her", "our", "as", "so",
      "by", "from", "that", "this", "i", "im", "you", "youre", "are", "was", "can", "will", "just", "if", "up", "do");

  /** {@code [inst]} and {@code [instrumental]} are tags with no lines under them, so they come out instrumental. */
  static Lyrics parse(String text) {
    List<Section> kinds = new ArrayList<>();
    List<Integer> repeats = new ArrayList<>();
    List<List<Line>> lines = new ArrayList<>();
    List<List<String>> words = new ArrayList<>();
    boolean tagged = false;
    boolean blank = true;
    for (String raw : text == null ? new String[0] : text.split("\\R")) {
      Matcher tags = TAG.matcher(raw);
      while (tags.find()) {
        tagged = true;
        Matcher rep = REPEAT.matcher(tags.group(1).toLowerCase(Locale.ROOT));
        int times = 1;
        if (rep.find()) times = Integer.parseInt(rep.group(1) != null ? rep.group(1) : rep.group(2) != null ? rep.group(2) : rep.group(3));
        open(kinds, repeats, lines, words, Section.tagged(tags.group(1)), Math.max(1, Math.min(times, 4)));
      }
      String sung = TAG.matcher(raw).replaceAll(" ");
      Line line = line(sung);
      if (line == null) {
        blank = true;
        continue;
      }
      // Untagged sheets: each stanza (lines between blank lines) is a verse of its own.
      if (kinds.isEmpty() || (!tagged && blank)) open(kinds, repeats, lines, words, Section.VERSE, 1);
      lines.getLast().add(line);
      words.getLast().add(plain(sung));
      blank = false;
    }
    if (!tagged) markChoruses(kinds, words);
    return new Lyrics(blocks(kinds, repeats, lines, words));
  }

  private static void open(List<Section> kinds, List<Integer> repeats, List<List<Line>> lines, List<List<String>> words,
      Section kind, int times) {
    kinds.add(kind);
    repeats.add(times);
    lines.add(new ArrayList<>());
    words.add(new ArrayList<>());
  }

  /** In a sheet without tags, a stanza that comes back word for word is the chorus. */
  private static void markChoruses(List<Section> kinds, List<List<String>> words) {
    Map<List<String>, Integer> seen = new HashMap<>();
    for (List<String> w : words) seen.merge(w, 1, Integer::sum);
    for (int i = 0; i < kinds.size(); i++) {
      if (seen.get(words.get(i)) > 1) kinds.set(i, Section.CHORUS);
    }
  }

  /**
   * Repeats written out; a bare tag of a sung kind ("[Chorus]" with nothing under it) sings the last
   * section of that kind again.
   */
  private static List<Block> blocks(List<Section> kinds, List<Integer> repeats, List<List<Line>> lines, List<List<String>> words) {
    Map<Section, Block> last = new HashMap<>();
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      Section kind = kinds.get(i);
      Block block = lines.get(i).isEmpty()
          ? last.getOrDefault(kind, new Block(kind, List.of(), kind.label()))
          : new Block(kind, List.copyOf(lines.get(i)), kind.label() + "|" + String.join("/", words.get(i)));
      if (!block.lines().isEmpty()) last.put(kind, block);
      for (int r = 0; r < repeats.get(i); r++) out.add(block);
    }
    return List.copyOf(out);
  }

  /** Every sung line, in order, repeats included. */
  List<Line> lines() {
    return blocks.stream().flatMap(b -> b.lines().stream()).toList();
  }

  boolean instrumental() {
    return blocks.stream().allMatch(b -> b.lines().isEmpty());
  }

  /** For logs, e.g. {@code 4 sections (verse, chorus, verse, chorus), 10 sung lines}. */
  String describe() {
    if (instrumental()) return "instrumental";
    int sung = lines().size();
    return blocks.size() + (blocks.size() == 1 ? " section (" : " sections (")
        + blocks.stream().map(b -> b.kind().label()).collect(Collectors.joining(", "))
        + "), " + sung + (sung == 1 ? " sung line" : " sung lines");
  }

  private static String plain(String text) {
    return MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
  }

  private static Line line(String text) {
    List<Vowel> vowels = new ArrayList<>();
    List<Boolean> stressed = new ArrayList<>();
    for (String word : NOT_LETTERS.split(plain(text))) {
      word = word.replace("'", "");
      if (word.isEmpty()) continue;
      int before = vowels.size();
      if (word.chars().allMatch(c -> c >= 'a' && c <= 'z')) latin(word, vowels);
      else other(word, vowels);
      int count = vowels.size() - before;
      boolean heavy = count > 1 || !LIGHT.contains(word);
      // English leans on a word's first syllable; scripts without word stress alternate strong and weak.
      for (int i = 0; i < count; i++) stressed.add(SYLLABIC.contains(Character.UnicodeScript.of(word.codePointAt(0))) ? i % 2 == 0 : i == 0 && heavy);
    }
    return vowels.isEmpty() ? null : new Line(List.copyOf(vowels), List.copyOf(stressed));
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
