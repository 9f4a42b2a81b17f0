package dev.refrain.engine.preview;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A lyric sheet as sections of sung lines, each line as its sung syllables. Tags such
 * as {@code [Verse 2]} or {@code [Chorus - anthemic x2]} start sections; untagged stanzas are verses
 * (a stanza that comes back word for word is a chorus). No sung line at all means instrumental.
 */
record Lyrics(List<Block> blocks) {
  /** One sung line: a note's worth of sounds per syllable. */
  record Line(List<Syllable> syllables) {}

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
  private static final Pattern NOT_LETTERS = Pattern.compile("[^\\p{L}\\p{M}']+");
  private static final Pattern ASCII = Pattern.compile("[a-z']+");
  /** Share of a line's words the dictionary must know for the line to be sung as English. */
  private static final double ENGLISH_SHARE = 0.6;

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

  /**
   * A line's syllables. A line of Latin letters most of whose words the pronouncing dictionary knows
   * is English; any other line, and a word no English spelling could be, is sung by {@link Foreign}'s
   * rules for its own script, in its own vowels.
   */
  private static Line line(String text) {
    List<String> words = new ArrayList<>();
    for (String w : NOT_LETTERS.split(Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT))) {
      String word = trimQuotes(w);
      if (!word.isEmpty()) words.add(word);
    }
    if (words.isEmpty()) return null;
    long known = words.stream().filter(w -> ASCII.matcher(w).matches() && English.known(w)).count();
    boolean english = known >= ENGLISH_SHARE * words.size();
    List<Syllable> syllables = new ArrayList<>();
    for (String word : words) {
      syllables.addAll(english && ASCII.matcher(word).matches() ? English.word(word) : Foreign.word(word));
    }
    for (int i = 0; i + 1 < syllables.size(); i++) syllables.set(i, syllables.get(i).before(syllables.get(i + 1)));
    return new Line(List.copyOf(syllables));
  }

  /** Quotes around a word are not part of it; a final one is, where it stands for a dropped g ("dancin'"). */
  private static String trimQuotes(String w) {
    int from = 0, to = w.length();
    while (from < to && w.charAt(from) == '\'') from++;
    while (to > from + 1 && w.charAt(to - 1) == '\'' && !w.startsWith("in'", to - 3)) to--;
    return from < to && w.charAt(from) != '\'' ? w.substring(from, to) : "";
  }
}
