package dev.refrain.engine.preview;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a style prompt asks for, as far as the preview engine understands it: genre and moods, tempo,
 * meter, swing, key, energy and instruments. Explicit tempo, key, meter and instruments beat what the
 * genre implies; the negative prompt and "no …"/"without …" take instruments and traits away;
 * whatever the prompt leaves open comes from the seed; words it does not know are kept, for the logs.
 *
 * @param beatsPerBar beats in a bar; in compound meters (6/8, 12/8) the beat is the eighth note, and
 *     other eighth-note meters (5/8, 7/8) are read as the same count of quarters
 * @param compound whether beats group in threes (6/8, 9/8, 12/8)
 * @param swing how far off-beats lean toward the triplet, 0 straight to 1 full triplet
 * @param swing16 whether the sixteenths swing rather than the eighths
 * @param energy 0 still to 1 flat out
 * @param brightness how much brighter (above 0) or darker (below) than usual the band plays, as
 *     {@link Voices#sound} applies it; 0 unless a reference sets it
 * @param instruments who plays which of the parts, where the prompt or the genre names someone; the
 *     other parts play their own sound
 * @param unknown the prompt's words the reader did not understand, in order, each once
 * @param scale the scale the tunes keep to; null for the key's own major or minor
 * @param reverb how much of the room the mix has: 1 as usual, 0 when the prompt asks for it dry
 */
record Style(Genre genre, List<Mood> moods, double bpm, int tonic, boolean minor, int beatsPerBar, boolean compound,
    double swing, boolean swing16, double energy, Set<Part> parts, double brightness, Map<Part, Instrument> instruments,
    List<String> unknown, Scale scale, double reverb) {

  private enum Trait { ONLY, INSTRUMENTAL, A_CAPPELLA, SWUNG, STRAIGHT, DRY, REVERB }

  private record Entry(List<String> words, Object meaning) {}

  private static final String NUMBER = "(\\d{2,3}(?:\\.\\d+)?)";
  private static final Pattern BPM = Pattern.compile(NUMBER + "\\s*-?\\s*bpm\\b|\\bbpm\\s*[:=]?\\s*" + NUMBER + "|\\btempo\\s*[:=]?\\s*" + NUMBER);
  private static final String NOTE = "([a-g])\\s*(#|♯|b|♭|-?sharp|-?flat)?";
  private static final Pattern KEY = Pattern.compile("\\b" + NOTE + "\\s*(major|minor|maj|min)\\b");
  private static final Pattern KEY_OF = Pattern.compile("\\bkey\\s+(?:of\\s+)?" + NOTE + "(m)?(?![a-z])");
  private static final Pattern METER = Pattern.compile("\\b(\\d{1,2})\\s*/\\s*(4|8)\\b");
  private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final int[] NATURAL = {9, 11, 0, 2, 4, 5, 7}; // a b c d e f g
  private static final String[] NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

  /** A chord for logs, e.g. {@code F#m}. */
  static String chordName(int root, boolean minor) {
    return NAMES[Math.floorMod(root, 12)] + (minor ? "m" : "");
  }

  /** A key for logs, e.g. {@code F# minor}. */
  static String keyName(int tonic, boolean minor) {
    return NAMES[Math.floorMod(tonic, 12)] + (minor ? " minor" : " major");
  }
  private static final Set<String> NEGATIONS = Set.of("no", "without", "non", "minus", "not", "never", "zero", "exclude", "avoid");
  /** Words between a negation and what it negates, or between negated items: "no drums or bass". */
  private static final Set<String> CARRY = Set.of("and", "or", "nor", "any", "the", "a", "much", "too", "heavy", "loud");
  /** Genres picked by the seed when the prompt names neither a genre nor a mood. */
  private static final List<String> NEUTRAL = List.of("pop", "rock", "indie", "folk", "soul", "country");
  /**
   * Words no one needs understood: connectives, and what the tempo, key and meter patterns read
   * ("120 bpm", "key of D"), which the lexicon does not hold.
   */
  private static final Set<String> FILLER = Set.of("a", "an", "the", "and", "or", "with", "in", "of", "for", "to", "on", "at", "by",
      "feat", "featuring", "ft", "style", "styled", "music", "song", "songs", "track", "tune", "tunes", "sound", "sounds", "sounding",
      "like", "type", "genre", "vibe", "feel", "feeling", "bpm", "tempo", "key", "time", "signature", "meter", "major", "minor",
      "very", "really", "slightly", "bit", "some", "lots", "lot", "more", "less", "little", "plus", "mix", "mixed", "inspired");
  /** At most this many words not understood are kept, the longest cut to {@link #UNKNOWN_LENGTH} characters. */
  private static final int UNKNOWN_WORDS = 20;
  private static final int UNKNOWN_LENGTH = 32;
  /** Slowest tempo counted as fast, for negative prompts that refuse "fast" or "upbeat". */
  private static final int FAST = 110;
  private static final List<Entry> LEXICON = lexicon();

  static Style of(String prompt, String negative, SplittableRandom rng) {
    // Draw everything up front, so what the prompt pins down does not shift what the seed decides.
    double tempoDraw = rng.nextDouble();
    int tonicDraw = rng.nextInt(12);
    double modeDraw = rng.nextDouble();
    int genreDraw = rng.nextInt(NEUTRAL.size());

    String text = prompt == null ? "" : prompt.toLowerCase(Locale.ROOT);
    List<Object> named = new ArrayList<>();
    List<Object> refused = new ArrayList<>();
    Set<String> unknown = new java.util.LinkedHashSet<>();
    // A named key is not a mood: "D major" says nothing about being uplifting.
    read(KEY_OF.matcher(KEY.matcher(text).replaceAll(" ")).replaceAll(" "), named, refused, unknown);
    read(negative == null ? "" : negative.toLowerCase(Locale.ROOT), refused, refused, new java.util.HashSet<>());

    List<Genre> genres = only(named, Genre.class);
    List<Mood> moods = only(named, Mood.class).stream().distinct().toList();
    List<Mood> refusedMoods = only(refused, Mood.class);
    Genre genre = !genres.isEmpty() ? genres.getLast()
        : !moods.isEmpty() ? Genre.named(moods.getLast().genre())
        : Genre.named(NEUTRAL.get(genreDraw));

    int beats = genre.beatsPerBar();
    boolean compound = false;
    Matcher meter = METER.matcher(text);
    if (meter.find()) {
      beats = Math.max(2, Math.min(12, Integer.parseInt(meter.group(1))));
      compound = meter.group(2).equals("8") && beats % 3 == 0 && beats >= 6;
    }

    double tempo = tempo(text, genre, moods, refusedMoods, tempoDraw);
    // Compound meters count eighths as beats; a tempo the prompt gives counts their dotted quarters.
    if (compound) tempo *= explicitTempo(text) != null ? 3 : 2;

    int tonic = tonicDraw;
    boolean minor = modeDraw < genre.minorOdds();
    int lean = moods.stream().mapToInt(Mood::mode).sum();
    if (lean != 0) minor = lean > 0;
    if (refusedMoods.stream().anyMatch(m -> m.mode() > 0)) minor = false;
    if (refusedMoods.stream().anyMatch(m -> m.mode() < 0)) minor = true;
    Matcher key = KEY.matcher(text);
    Matcher keyOf = KEY_OF.matcher(text);
    if (key.find()) {
      tonic = pitchClass(key.group(1), key.group(2));
      minor = key.group(3).startsWith("min");
    } else if (keyOf.find()) {
      tonic = pitchClass(keyOf.group(1), keyOf.group(2));
      minor = keyOf.group(3) != null;
    }

    boolean swingNamed = named.contains(Trait.SWUNG) || genres.contains(Genre.named("swing"));
    boolean straight = named.contains(Trait.STRAIGHT) || refused.contains(Trait.SWUNG) || refused.contains(Genre.named("swing")) || compound;
    double swing = straight ? 0 : swingNamed ? Math.max(genre.swing(), 0.6) : genre.swing();

    double energy = genre.energy() + moods.stream().mapToDouble(Mood::energy).sum();
    energy = Math.max(0, Math.min(1, energy));
    // A scale named beats the genre's; one with its own third (a mode) decides major or minor.
    List<Scale> scales = only(named, Scale.class);
    Scale scale = !scales.isEmpty() ? scales.getLast() : genre.scale();
    if (scale != null) minor = scale.minor(minor);

    Set<Part> parts = parts(genre, moods, named, refused);
    return new Style(genre, moods, tempo, tonic, minor, beats, compound, swing, genre.swing16(), energy, parts, 0,
        instruments(genre, parts, named), List.copyOf(unknown), scale, named.contains(Trait.DRY) || refused.contains(Trait.REVERB) ? 0 : 1);
  }

  /** The genre's players, then the ones the prompt names (the last named for a part wins), for the parts that play. */
  private static Map<Part, Instrument> instruments(Genre genre, Set<Part> parts, List<Object> named) {
    Map<Part, Instrument> out = new EnumMap<>(Part.class);
    Stream.concat(genre.instruments().stream(), only(named, Instrument.class).stream())
        .filter(i -> parts.contains(i.part())).forEach(i -> out.put(i.part(), i));
    return Collections.unmodifiableMap(out);
  }

  /** The genre's range, narrowed by moods and refusals; an explicit tempo beats them all. */
  private static double tempo(String text, Genre genre, List<Mood> moods, List<Mood> refused, double draw) {
    Double explicit = explicitTempo(text);
    if (explicit != null) return Math.max(30, Math.min(250, explicit));
    double lo = genre.slowest();
    double hi = genre.fastest();
    int push = Integer.signum(moods.stream().mapToInt(Mood::tempo).sum());
    if (push < 0) hi = lo + (hi - lo) * 0.4;
    if (push > 0) lo = lo + (hi - lo) * 0.6;
    if (refused.stream().anyMatch(m -> m.tempo() > 0)) {
      hi = Math.min(hi, FAST);
      lo = Math.min(lo, hi - 10);
    }
    if (refused.stream().anyMatch(m -> m.tempo() < 0)) {
      lo = Math.max(lo, 100);
      hi = Math.max(hi, lo + 10);
    }
    return Math.round(lo + (hi - lo) * draw);
  }

  private static Double explicitTempo(String text) {
    Matcher bpm = BPM.matcher(text);
    if (!bpm.find()) return null;
    for (int g = 1; g <= 3; g++) {
      if (bpm.group(g) != null) return Double.parseDouble(bpm.group(g));
    }
    return null;
  }

  /**
   * The genre's band (or, when the prompt names families that play chords, those instead), named
   * instruments' parts, mood colours, less whatever is refused; "solo piano", "piano only" and
   * "just piano" keep only what is named.
   */
  private static Set<Part> parts(Genre genre, List<Mood> moods, List<Object> named, List<Object> refused) {
    List<Part> asked = Stream.concat(only(named, Part.class).stream(), only(named, Instrument.class).stream().map(Instrument::part))
        .toList();
    Set<Part> removed = EnumSet.noneOf(Part.class);
    removed.addAll(only(refused, Part.class));
    // Refusing brushes asks for sticks, not for no drums.
    only(refused, Instrument.class).stream().filter(i -> i != Instrument.BRUSHES).forEach(i -> removed.add(i.part()));
    if (named.contains(Trait.INSTRUMENTAL)) removed.add(Part.VOICE);

    Set<Part> parts = EnumSet.noneOf(Part.class);
    if (named.contains(Trait.ONLY) && !asked.isEmpty()) {
      parts.addAll(asked);
    } else if (named.contains(Trait.A_CAPPELLA)) {
      // Voices only: the singer, and a choir if one is named; nothing is added to fill the chords.
      parts.add(Part.VOICE);
      only(named, Instrument.class).stream().filter(i -> i == Instrument.CHOIR).forEach(i -> parts.add(i.part()));
      parts.removeAll(removed);
      if (!parts.isEmpty()) return Collections.unmodifiableSet(parts);
    } else {
      // A named family ("piano") replaces the band's chord parts; a named instrument ("erhu") joins the band, in its part.
      boolean chordsNamed = only(named, Part.class).stream().anyMatch(Part::harmonic);
      genre.band().stream().filter(p -> !chordsNamed || !p.harmonic()).forEach(parts::add);
      parts.addAll(asked);
      if (!chordsNamed) moods.stream().map(Mood::color).filter(c -> c != null).forEach(parts::add);
      parts.add(Part.VOICE);
    }
    parts.removeAll(removed);
    if (parts.stream().noneMatch(Part::harmonic)) {
      Stream.concat(genre.band().stream(), Arrays.stream(Part.values()))
          .filter(p -> p.harmonic() && !removed.contains(p)).findFirst().ifPresent(parts::add);
    }
    // Never silent: with every instrument refused, a pad still plays.
    if (parts.stream().allMatch(p -> p == Part.VOICE)) parts.add(Part.PAD);
    return Collections.unmodifiableSet(parts);
  }

  /**
   * Reads words into meanings (genres, moods, instruments, traits), longest phrase first; a negation
   * sends what follows it to {@code refused} until a word that is neither a meaning nor a connective.
   * Words that are neither, nor filler or numbers, go to {@code unknown}.
   */
  private static void read(String text, List<Object> named, List<Object> refused, Set<String> unknown) {
    List<String> words = Arrays.stream(WORD_BREAK.split(text.replace("&", " and "))).filter(w -> !w.isEmpty()).toList();
    boolean negated = false;
    for (int i = 0; i < words.size(); ) {
      String w = words.get(i);
      if (NEGATIONS.contains(w)) {
        negated = true;
        i++;
        continue;
      }
      Entry match = null;
      for (Entry e : LEXICON) {
        if (i + e.words().size() <= words.size() && words.subList(i, i + e.words().size()).equals(e.words())) {
          match = e;
          break;
        }
      }
      if (match == null) {
        if (!CARRY.contains(w)) negated = false;
        if (w.length() > 1 && !FILLER.contains(w) && !CARRY.contains(w) && !w.chars().allMatch(Character::isDigit)
            && unknown.size() < UNKNOWN_WORDS) {
          unknown.add(w.length() > UNKNOWN_LENGTH ? w.substring(0, UNKNOWN_LENGTH) + "…" : w);
        }
        i++;
        continue;
      }
      (negated ? refused : named).add(match.meaning());
      i += match.words().size();
    }
  }

  /** Every phrase the prompt reader knows, longest first so "drum and bass" wins over "drum". */
  private static List<Entry> lexicon() {
    List<Entry> entries = new ArrayList<>();
    for (Genre g : Genre.TABLE) g.words().forEach(w -> entries.add(entry(w, g)));
    for (Mood m : Mood.TABLE) m.words().forEach(w -> entries.add(entry(w, m)));
    for (Part p : Part.values()) p.words().forEach(w -> entries.add(entry(w, p)));
    for (Instrument i : Instrument.values()) i.words().forEach(w -> entries.add(entry(w, i)));
    for (Scale sc : Scale.values()) sc.words().forEach(w -> entries.add(entry(w, sc)));
    for (String w : List.of("solo", "only", "just", "alone", "unaccompanied")) entries.add(entry(w, Trait.ONLY));
    for (String w : List.of("instrumental", "instrumentals")) entries.add(entry(w, Trait.INSTRUMENTAL));
    for (String w : List.of("a cappella", "acapella", "a capella", "acappella")) entries.add(entry(w, Trait.A_CAPPELLA));
    for (String w : List.of("swung", "shuffle", "swinging", "swingy", "triplet feel")) entries.add(entry(w, Trait.SWUNG));
    for (String w : List.of("straight", "unswung", "quantized")) entries.add(entry(w, Trait.STRAIGHT));
    for (String w : List.of("dry", "bone dry", "close miked")) entries.add(entry(w, Trait.DRY));
    for (String w : List.of("reverb", "reverberation")) entries.add(entry(w, Trait.REVERB));
    entries.sort(Comparator.comparingInt((Entry e) -> -e.words().size()));
    return List.copyOf(entries);
  }

  private static Entry entry(String phrase, Object meaning) {
    return new Entry(Arrays.stream(WORD_BREAK.split(phrase.replace("&", " and "))).filter(w -> !w.isEmpty()).toList(), meaning);
  }

  private static <T> List<T> only(List<Object> meanings, Class<T> type) {
    return meanings.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static int pitchClass(String letter, String accidental) {
    int pc = NATURAL[letter.charAt(0) - 'a'];
    if (accidental == null) return pc;
    boolean sharp = accidental.equals("#") || accidental.equals("♯") || accidental.endsWith("sharp");
    return Math.floorMod(pc + (sharp ? 1 : -1), 12);
  }

  /** This style at another tempo: audio-driven tasks and txt2audio with a reference take theirs. */
  Style withTempo(double bpm) {
    return new Style(genre, moods, bpm, tonic, minor, beatsPerBar, compound, swing, swing16, energy, parts, brightness, instruments, unknown, scale, reverb);
  }

  /** This style in another key: audio-driven tasks and txt2audio with a reference take theirs (a mode keeps its own third). */
  Style withKey(int tonic, boolean minor) {
    boolean third = scale == null ? minor : scale.minor(minor);
    return new Style(genre, moods, bpm, tonic, third, beatsPerBar, compound, swing, swing16, energy, parts, brightness, instruments, unknown,
        scale, reverb);
  }

  /** This style in the grid's meter, which is authoritative: a compound feel only survives in a meter of threes. */
  Style withMeter(int beats) {
    return new Style(genre, moods, bpm, tonic, minor, beats, compound && beats % 3 == 0 && beats >= 6, swing, swing16, energy, parts,
        brightness, instruments, unknown, scale, reverb);
  }

  /** This style played brighter or darker: txt2audio with a reference takes its timbre. */
  Style withBrightness(double brightness) {
    return new Style(genre, moods, bpm, tonic, minor, beatsPerBar, compound, swing, swing16, energy, parts, brightness, instruments, unknown, scale, reverb);
  }

  /** For logs, e.g. {@code dark drum and bass, 174 bpm, 4/4, F minor, straight; drums, bass, synth, pad}. */
  String describe() {
    String name = Stream.concat(moods.stream().map(Mood::name), Stream.of(genre.name())).collect(Collectors.joining(" "));
    double shown = compound ? bpm / 3 : bpm;
    String meter = beatsPerBar + (compound ? "/8" : "/4");
    String feel = swing == 0 ? "straight" : swing16 ? "swung sixteenths" : "swung eighths";
    List<Part> order = new ArrayList<>();
    Stream.of(Part.DRUMS, Part.BASS).filter(parts::contains).forEach(order::add);
    parts.stream().filter(Part::harmonic).forEach(order::add);
    if (parts.contains(Part.VOICE)) order.add(Part.VOICE);
    return name + ", " + BigDecimal.valueOf(Math.round(shown * 100) / 100.0).stripTrailingZeros().toPlainString() + " bpm, " + meter + ", "
        + keyName(tonic, minor) + (scale == null ? "" : " " + scale.label()) + ", " + feel + "; "
        + order.stream().map(this::player).collect(Collectors.joining(", "));
  }

  /** The tune's scale: semitones above the tonic, ascending, five to seven of them. */
  int[] steps() {
    return scale != null ? scale.steps(minor) : (minor ? Chord.MINOR : Chord.MAJOR).clone();
  }

  /** Who plays the part, for logs: the instrument named for it, or the part's own name. */
  String player(Part part) {
    Instrument i = instruments.get(part);
    return i != null ? i.label() : part.name().toLowerCase(Locale.ROOT);
  }
}
