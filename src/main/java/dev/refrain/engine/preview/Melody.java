package dev.refrain.engine.preview;

import dev.refrain.audio.Analysis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The lead line. Sung, it follows the lyric: one note per syllable (its leading consonants sung
 * ahead of the beat, so the vowel lands on it), one phrase per line starting on a bar line, stressed
 * syllables pushed onto beats, chord tones on the beats, a breath at the end of
 * each phrase, within about an octave and a half; a chorus sits higher and reuses its first two
 * phrases' shapes. Played, an instrument makes up phrases of its own the same way. The notes depend
 * only on the section's material and chords, so a chorus that comes back is sung the same.
 * Re-performing an input (edit), the words go onto the input's tune: its notes' onsets, where a line
 * has as many as it has syllables, and its pitches, kept to the key's scale in the singer's range.
 */
final class Melody {
  /** Energy under which an instrument's tune keeps to a beat or more a note. */
  private static final double CALM = 0.35;
  /** How long a breath before a line takes, at most half a beat. */
  private static final double BREATH_SECONDS = 0.35;
  private static final double MAX_BREATH_BEATS = 0.5;
  /** The most of the note before that a syllable's leading consonants take. */
  private static final double LEAD_SHARE = 0.4;
  private static final int[] VERSE_STEPS = {-2, -1, -1, 0, 1, 1, 2, 3};
  private static final int[] CHORUS_STEPS = {-1, -1, 0, 0, 1, 1, 2};

  private final Sheet sheet;
  private final Style style;
  private final Passage passage;
  private final Part part;
  private final int base;
  private final int[] scale;
  private final SourceMusic source;

  private Melody(Sheet sheet, Style style, Passage passage, Part part, int octave, SourceMusic source) {
    this.sheet = sheet;
    this.style = style;
    this.passage = passage;
    this.part = part;
    this.source = source;
    this.base = Composer.place(style.tonic(), 52) + 12 * octave;
    this.scale = style.steps();
  }

  /**
   * Bars each phrase of the block takes: the same for all its lines, enough for the longest in
   * eighths (else sixteenths); a blues gives each line four bars, call and answer.
   */
  static int phraseBars(Lyrics.Block block, Style style) {
    int beatsPerBar = style.beatsPerBar();
    boolean compound = style.compound();
    int most = block.lines().stream().mapToInt(l -> l.syllables().size()).max().orElse(1);
    for (int bars = style.genre().harmony() == Harmony.BLUES ? 4 : 2; bars <= 4; bars += 2) {
      if (most <= usable(bars, beatsPerBar, compound, 1)) return bars;
    }
    for (int bars = 2; ; bars += 2) {
      if (most <= usable(bars, beatsPerBar, compound, 2)) return bars;
    }
  }

  /** Syllable slots in a phrase at {@code density} notes per eighth, less a breath of one beat. */
  private static int usable(int bars, int beatsPerBar, boolean compound, int density) {
    int perBeat = (compound ? 1 : 2) * density;
    return (bars * beatsPerBar - (compound ? 2 : 1)) * perBeat;
  }

  /**
   * Sings the block's lines (or, with no voice, plays them on {@code part}), one phrase per line
   * while whole phrases fit.
   */
  static void sing(Sheet sheet, Style style, Passage passage, Lyrics.Block block, Part part, long seed, SourceMusic source) {
    Melody m = new Melody(sheet, style, passage, part, part == Part.VOICE ? 0 : 1, source);
    int bars = phraseBars(block, style);
    List<Passage.Bar> full = passage.fullBars(style.beatsPerBar());
    int lines = Math.min(block.lines().size(), full.size() / bars);
    boolean chorus = block.kind() == Section.CHORUS;
    for (int i = 0; i < lines; i++) {
      // A chorus's odd and even lines share their contour's random stream: the hook comes back.
      long stream = seed * 31 + block.key().hashCode() * 17L + (chorus ? i % 2 : i);
      m.phrase(block.lines().get(i), full.get(i * bars).line(), bars, chorus, new SplittableRandom(stream), part == Part.VOICE);
    }
  }

  /** An instrument's own tune for the section: two-bar phrases with made-up rhythms, the same each time the material returns. */
  static void play(Sheet sheet, Style style, Passage passage, Part part, long seed) {
    Melody m = new Melody(sheet, style, passage, part, part == Part.FLUTE || part == Part.BELLS || part == Part.SYNTH ? 1 : 0,
        SourceMusic.none());
    List<Passage.Bar> full = passage.fullBars(style.beatsPerBar());
    boolean chorus = passage.span().kind() == Section.CHORUS || passage.span().kind() == Section.DROP;
    int beats = 2 * style.beatsPerBar() / (style.compound() ? 3 : 1);
    for (int i = 0; i + 2 <= full.size(); i += 2) {
      SplittableRandom rng = new SplittableRandom(seed * 31 + passage.span().key().hashCode() * 17L + (i / 2) % 4);
      // Calm styles move in quarters and halves: a busy eighth-note tune would double the felt tempo.
      int least = style.energy() < CALM ? beats / 2 : beats;
      int notes = least + rng.nextInt(least + 1);
      List<Syllable> syllables = new ArrayList<>();
      for (int n = 0; n < notes; n++) syllables.add(Syllable.of(Phoneme.AA, n % 2 == 0));
      m.phrase(new Lyrics.Line(syllables), full.get(i).line(), 2, chorus, rng, false);
    }
  }

  private void phrase(Lyrics.Line line, double at, int bars, boolean chorus, SplittableRandom rng, boolean sung) {
    int n = line.syllables().size();
    int bpb = style.beatsPerBar();
    int density = n <= usable(bars, bpb, style.compound(), 1) ? 1 : 2;
    int perBeat = (style.compound() ? 1 : 2) * density;
    int slots = usable(bars, bpb, style.compound(), density);
    int[] start = rhythm(line, slots, perBeat, rng);
    int[] tuneOnsets = onsets(at, slots, perBeat);
    if (tuneOnsets.length >= n) {
      // On the input's notes, spread over them when it has more than the line has syllables.
      for (int i = 0; i < n; i++) start[i] = tuneOnsets[(int) Math.round((double) i * tuneOnsets.length / n)];
    }

    int lo = chorus ? 1 : -2;
    int hi = chorus ? 9 : 6;
    int[] steps = chorus ? CHORUS_STEPS : VERSE_STEPS;
    int home = (lo + hi) / 2;
    int degree = home - 1 + rng.nextInt(3);
    // Sung, a syllable's leading consonants come before its beat, so the vowel lands on it, as singers do;
    // they take at most a share of the note before (or of the rest before the line).
    double[] lead = new double[n + 1];
    for (int i = 0; sung && i < n; i++) {
      double room = (i == 0 ? perBeat : start[i] - start[i - 1]) / (double) perBeat;
      // Never before the piece's first beat: nothing sounds before it.
      double beat = at + start[i] / (double) perBeat;
      lead[i] = Math.max(0, Math.min(Math.min(Singer.onsetSeconds(line.syllables().get(i)) * style.bpm() / 60, LEAD_SHARE * room), beat));
    }
    for (int i = 0; i < n; i++) {
      double t = at + start[i] / (double) perBeat;
      if (sung && i == 0) {
        // A breath in the rest before the line, ending just before its first note.
        double breath = Math.min(MAX_BREATH_BEATS, BREATH_SECONDS * style.bpm() / 60);
        // A section's first line breathes in the rest that ends the section before it.
        double in = t - lead[0] - breath;
        sheet.add(in, 0.85 * breath, key(degree), 0.6, 0, part, Syllable.BREATH, Math.min(in, passage.from()), passage.to());
      }
      int end = i + 1 < n ? start[i + 1] : Math.min(slots, start[i] + 2 * perBeat);
      double length = (end - start[i]) / (double) perBeat;
      int step = steps[rng.nextInt(steps.length)];
      // Half the steps that would carry the line further from home turn back toward it.
      if ((degree - home) * step > 0 && rng.nextBoolean()) step = -step;
      degree = Math.max(lo, Math.min(hi, degree + step));
      boolean strong = start[i] % perBeat == 0 && (line.syllables().get(i).stressed() || start[i] % (2 * perBeat) == 0);
      int key = key(degree);
      Analysis.Note tune = heard(t, (double) (end - start[i]) / perBeat);
      if (tune != null) {
        // The input's pitch, in the octave nearest the line so far, kept to the range and the scale.
        int near = key(degree);
        int placed = tune.midi() + 12 * Math.round((near - tune.midi()) / 12f);
        while (placed > key(hi) + 2) placed -= 12;
        while (placed < key(lo) - 2) placed += 12;
        degree = nearestDegree(placed);
        key = key(degree);
        source.melodyTaken++;
      } else if (strong || i == n - 1) {
        Chord chord = passage.chordAt(t);
        int target = chord.nearest(key, key(lo), key(hi));
        degree = nearestDegree(target);
        // A chord tone outside a named scale (a pentatonic has no fourth) gives way to the scale's nearest note.
        key = style.scale() == null ? target : key(degree);
      }
      double velocity = (line.syllables().get(i).stressed() ? 0.85 : 0.72) + 0.05 * rng.nextDouble();
      double from = t - lead[i];
      sheet.add(from, sung ? length + lead[i] - lead[i + 1] : 0.85 * length, key, velocity, part == Part.VOICE ? 0 : 0.2, part,
          sung ? line.syllables().get(i) : null, Math.min(from, passage.from()), passage.to());
    }
  }

  /** The phrase's slots (from {@code at}, {@code perBeat} a beat) on which the input's tune starts a note, ascending, each once. */
  private int[] onsets(double at, int slots, int perBeat) {
    if (source.melody.isEmpty()) return new int[0];
    double rate = sheet.grid().rate();
    List<Analysis.Note> notes = source.melodyStarting(sheet.frame(at - 0.5 / perBeat) / rate, sheet.frame(at + (slots - 0.5) / perBeat) / rate);
    int[] out = new int[notes.size()];
    int count = 0;
    for (Analysis.Note note : notes) {
      int slot = (int) Math.round((sheet.beat(note.seconds() * rate) - at) * perBeat);
      if (slot >= 0 && slot < slots && (count == 0 || slot > out[count - 1])) out[count++] = slot;
    }
    return Arrays.copyOf(out, count);
  }

  /** The input's note sounding at beat {@code t}, or else the first to start within {@code length} beats of it; null for none. */
  private Analysis.Note heard(double t, double length) {
    if (source.melody.isEmpty()) return null;
    double rate = sheet.grid().rate();
    Analysis.Note at = source.melodyAt(sheet.frame(t) / rate);
    if (at != null) return at;
    List<Analysis.Note> next = source.melodyStarting(sheet.frame(t) / rate, sheet.frame(t + length) / rate);
    return next.isEmpty() ? null : next.getFirst();
  }

  /**
   * Slot of each syllable: a beat apiece when there is room for it, else an eighth (or a sixteenth);
   * a stressed syllable waits for the next beat when the phrase can spare it, and held notes take what is left.
   */
  private static int[] rhythm(Lyrics.Line line, int slots, int perBeat, SplittableRandom rng) {
    int n = line.syllables().size();
    int each = n * perBeat <= slots ? perBeat : n * 2 <= slots && perBeat % 2 == 0 ? 2 : 1;
    int spare = slots - n * each;
    int[] start = new int[n];
    int pos = 0;
    for (int i = 0; i < n; i++) {
      int late = Math.floorMod(-pos, perBeat);
      if (line.syllables().get(i).stressed() && late > 0 && late <= spare) {
        pos += late;
        spare -= late;
      }
      start[i] = pos;
      pos += each;
      if (spare >= each && line.syllables().get(i).stressed() && rng.nextInt(3) == 0) {
        pos += each;
        spare -= each;
      }
    }
    return start;
  }

  private int key(int degree) {
    return base + scale[Math.floorMod(degree, scale.length)] + 12 * Math.floorDiv(degree, scale.length);
  }

  /** The scale degree closest to a key, for carrying on the line from a chord tone. */
  private int nearestDegree(int key) {
    int best = 0;
    for (int d = -7; d <= 14; d++) {
      if (Math.abs(key(d) - key) < Math.abs(key(best) - key)) best = d;
    }
    return best;
  }
}
