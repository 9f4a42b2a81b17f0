package dev.refrain.engine.preview;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a style prompt asks for, as far as the preview engine understands it: tempo, key, feel and
 * instruments. Whatever the prompt leaves open comes from the seed; words it does not know are ignored.
 */
record Style(double bpm, int tonic, boolean minor, Feel feel, Set<Part> parts) {
  private static final String NUMBER = "(\\d{2,3}(?:\\.\\d+)?)";
  private static final Pattern BPM = Pattern.compile(NUMBER + "\\s*-?\\s*bpm\\b|\\bbpm\\s*[:=]?\\s*" + NUMBER);
  private static final String NOTE = "([a-g])\\s*(#|♯|b|♭|-?sharp|-?flat)?";
  private static final Pattern KEY = Pattern.compile("\\b" + NOTE + "\\s*(major|minor|maj|min)\\b");
  private static final Pattern KEY_OF = Pattern.compile("\\bkey\\s+(?:of\\s+)?" + NOTE + "(m)?\\b");
  private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final int[] NATURAL = {9, 11, 0, 2, 4, 5, 7}; // a b c d e f g
  private static final String[] NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
  private static final Set<String> MINOR_WORDS = Set.of("sad", "dark", "melancholic", "melancholy", "moody", "somber", "sombre", "gloomy", "minor");
  private static final Set<String> MAJOR_WORDS = Set.of("happy", "bright", "uplifting", "joyful", "cheerful", "sunny", "major");
  private static final Set<String> NEGATIONS = Set.of("no", "without", "non", "minus");
  private static final List<Part> HARMONY_FALLBACK = List.of(Part.PAD, Part.PIANO, Part.GUITAR, Part.SYNTH, Part.STRINGS);

  static Style of(String prompt, String negative, SplittableRandom rng) {
    // Draw everything up front, so what the prompt pins down does not shift what the seed decides.
    double tempoDraw = rng.nextDouble();
    int tonicDraw = rng.nextInt(12);
    boolean minorDraw = rng.nextBoolean();

    String text = prompt == null ? "" : prompt.toLowerCase(Locale.ROOT);
    List<String> words = words(text);
    Feel feel = Feel.of(words);

    Matcher bpm = BPM.matcher(text);
    double tempo = bpm.find()
        ? Math.max(40, Math.min(220, Double.parseDouble(bpm.group(1) != null ? bpm.group(1) : bpm.group(2))))
        : feel.tempo(tempoDraw);

    int tonic = tonicDraw;
    boolean minor = words.stream().anyMatch(MINOR_WORDS::contains) ? true
        : words.stream().anyMatch(MAJOR_WORDS::contains) ? false : minorDraw;
    Matcher key = KEY.matcher(text);
    Matcher keyOf = KEY_OF.matcher(text);
    if (key.find()) {
      tonic = pitchClass(key.group(1), key.group(2));
      minor = key.group(3).startsWith("min");
    } else if (keyOf.find()) {
      tonic = pitchClass(keyOf.group(1), keyOf.group(2));
      minor = keyOf.group(3) != null;
    }
    return new Style(tempo, tonic, minor, feel, parts(words, words(negative == null ? "" : negative.toLowerCase(Locale.ROOT)), feel));
  }

  private static Set<Part> parts(List<String> words, List<String> negative, Feel feel) {
    Set<Part> named = EnumSet.noneOf(Part.class);
    Set<Part> removed = EnumSet.noneOf(Part.class);
    for (int i = 0; i < words.size(); i++) {
      boolean negated = i > 0 && NEGATIONS.contains(words.get(i - 1));
      Part.named(words.get(i)).ifPresent(negated ? removed::add : named::add);
    }
    for (String w : negative) Part.named(w).ifPresent(removed::add);

    Set<Part> parts = EnumSet.of(Part.BASS, Part.DRUMS, Part.VOICE);
    parts.addAll(named);
    if (named.stream().noneMatch(Part::harmonic)) {
      parts.addAll(switch (feel) {
        case CALM -> EnumSet.of(Part.PAD);
        case STEADY -> EnumSet.of(Part.PIANO, Part.PAD);
        case DRIVING -> EnumSet.of(Part.SYNTH, Part.PAD);
      });
    }
    parts.removeAll(removed);
    if (parts.stream().noneMatch(Part::harmonic)) {
      HARMONY_FALLBACK.stream().filter(p -> !removed.contains(p)).findFirst().ifPresent(parts::add);
    }
    // Never silent: with everything else refused, a pad still plays.
    if (parts.stream().allMatch(p -> p == Part.VOICE)) parts.add(Part.PAD);
    return Collections.unmodifiableSet(parts);
  }

  private static List<String> words(String text) {
    return Arrays.stream(WORD_BREAK.split(text)).filter(w -> !w.isEmpty()).toList();
  }

  private static int pitchClass(String letter, String accidental) {
    int pc = NATURAL[letter.charAt(0) - 'a'];
    if (accidental == null) return pc;
    boolean sharp = accidental.equals("#") || accidental.equals("♯") || accidental.endsWith("sharp");
    return Math.floorMod(pc + (sharp ? 1 : -1), 12);
  }

  /** This style at another tempo: audio-driven tasks take the input's. */
  Style withTempo(double bpm) {
    return new Style(bpm, tonic, minor, feel, parts);
  }

  /** This style in another key: audio-driven tasks take the input's. */
  Style withKey(int tonic, boolean minor) {
    return new Style(bpm, tonic, minor, feel, parts);
  }

  /** Beats in a bar: 4 unless the prompt names another meter. */
  int beatsPerBar() {
    return 4;
  }

  /** For logs, e.g. {@code 120 bpm, A minor}. */
  String describe() {
    return BigDecimal.valueOf(bpm).stripTrailingZeros().toPlainString() + " bpm, " + NAMES[tonic] + (minor ? " minor" : " major");
  }
}
