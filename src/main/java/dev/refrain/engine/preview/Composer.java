package dev.refrain.engine.preview;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes the score: a four-chord loop in 4/4, one chord a bar, played by the style's harmony parts
 * over a bass line and a drum pattern that follow the feel, with a sung line for each lyric line.
 * Every choice is a pure function of the style, the lyrics and the random stream.
 */
final class Composer {
  private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
  private static final int[] MINOR = {0, 2, 3, 5, 7, 8, 10};
  /** Scale degrees of each bar's chord root: I–V–vi–IV and friends; i–VI–III–VII and friends. */
  private static final int[][] MAJOR_LOOPS = {{0, 4, 5, 3}, {0, 5, 3, 4}, {5, 3, 0, 4}, {0, 3, 4, 3}};
  private static final int[][] MINOR_LOOPS = {{0, 5, 2, 6}, {0, 3, 6, 2}, {0, 5, 3, 4}, {0, 6, 5, 6}};
  private static final int[] MELODY_STEPS = {-2, -1, -1, 0, 1, 1, 2};
  /** Bars before the drums come in and the singing starts, in songs of at least INTRO_FROM bars. */
  private static final int INTRO = 2;
  private static final int INTRO_FROM = 8;

  private final Style style;
  private final SplittableRandom rng;
  private final int frames;
  private final double beat;
  private final int[] scale;
  private final int[] loop;
  private final int pianoPattern;
  private final boolean extraKick;
  private final List<Note> notes = new ArrayList<>();
  private int melodyDegree = 2;

  private Composer(Style style, Grid grid, SplittableRandom rng) {
    this.style = style;
    this.rng = rng;
    this.frames = grid.frames();
    this.beat = grid.framesPerBeat();
    this.scale = style.minor() ? MINOR : MAJOR;
    int[][] loops = style.minor() ? MINOR_LOOPS : MAJOR_LOOPS;
    this.loop = loops[rng.nextInt(loops.length)];
    this.pianoPattern = switch (style.feel()) {
      case CALM -> rng.nextInt(2);
      case STEADY -> rng.nextInt(3);
      case DRIVING -> 2;
    };
    this.extraKick = rng.nextBoolean();
  }

  /** Writes the piece for {@code grid}: the notes cover [0, grid.frames()), on its beats and sections. */
  static Score compose(Style style, Lyrics lyrics, Grid grid, SplittableRandom rng) {
    Composer c = new Composer(style, grid, rng);
    int bars = (int) Math.ceil(grid.frames() / (4 * c.beat));
    int intro = bars >= INTRO_FROM ? INTRO : 0;
    for (int bar = 0; bar < bars; bar++) c.bar(bar, bar >= intro);
    if (style.parts().contains(Part.VOICE)) c.melody(lyrics, intro, bars);
    c.notes.sort(Comparator.comparingInt(Note::start)); // stable, so ties keep their written order
    return new Score(List.copyOf(c.notes));
  }

  private void bar(int bar, boolean drumsIn) {
    Set<Part> parts = style.parts();
    double t = 4.0 * bar;
    int root = loop[bar % loop.length];
    int[] chord = {pitchClass(root), pitchClass(root + 2), pitchClass(root + 4)};
    if (parts.contains(Part.PAD)) {
      for (int i = 0; i < 3; i++) add(t, 4, place(chord[i], 55), 0.6, -0.4 + 0.4 * i, Part.PAD);
    }
    if (parts.contains(Part.STRINGS)) {
      add(t, 4, place(chord[0], 48), 0.6, 0, Part.STRINGS);
      for (int i = 0; i < 3; i++) add(t, 4, place(chord[i], 62), 0.5, 0.5 - 0.5 * i, Part.STRINGS);
    }
    if (parts.contains(Part.PIANO)) piano(t, chord);
    if (parts.contains(Part.GUITAR)) guitar(t, chord);
    if (parts.contains(Part.SYNTH)) arpeggio(t, chord);
    if (parts.contains(Part.BASS)) bass(t, chord[0], chord[2]);
    if (parts.contains(Part.DRUMS) && drumsIn) drums(t, bar);
  }

  private void piano(double t, int[] chord) {
    add(t, 4, place(chord[0], 43), 0.7, 0.1, Part.PIANO);
    switch (pianoPattern) {
      case 0 -> { // half notes
        for (int half = 0; half < 2; half++) {
          for (int i = 0; i < 3; i++) add(t + 2 * half, 2, place(chord[i], 55), half == 0 ? 0.8 : 0.6, 0.15, Part.PIANO);
        }
      }
      case 1 -> { // broken chord in eighths
        int[] tones = {place(chord[0], 55), place(chord[1], 55), place(chord[2], 55), place(chord[0], 55) + 12};
        int[] order = {0, 1, 2, 3, 2, 1, 2, 1};
        for (int i = 0; i < order.length; i++) add(t + 0.5 * i, 1, tones[order[i]], i % 2 == 0 ? 0.7 : 0.55, 0.15, Part.PIANO);
      }
      default -> { // quarter-note chords, accented on one and three
        for (int b = 0; b < 4; b++) {
          for (int i = 0; i < 3; i++) add(t + b, 0.9, place(chord[i], 55), b % 2 == 0 ? 0.8 : 0.55, 0.15, Part.PIANO);
        }
      }
    }
  }

  /** A six-string strum, down-down-up-up-down-up, each string a few milliseconds after the last. */
  private void guitar(double t, int[] chord) {
    int[] pcs = {chord[0], chord[2], chord[0], chord[1], chord[2], chord[0]};
    int[] strings = new int[pcs.length];
    strings[0] = place(pcs[0], 40);
    for (int i = 1; i < pcs.length; i++) strings[i] = strings[i - 1] + 1 + Math.floorMod(pcs[i] - strings[i - 1] - 1, 12);
    double[] at = {0, 1, 1.5, 2.5, 3, 3.5, 4};
    boolean[] down = {true, true, false, false, true, false};
    double stagger = 0.012 * style.bpm() / 60; // 12 ms, in beats
    for (int s = 0; s < down.length; s++) {
      double velocity = (s == 0 ? 0.95 : down[s] ? 0.8 : 0.6) + 0.05 * rng.nextDouble();
      int first = down[s] ? 0 : 2;
      for (int i = first; i < strings.length; i++) {
        int order = down[s] ? i : strings.length - 1 - i;
        double start = t + at[s] + stagger * (i - first);
        add(start, t + at[s + 1] - start, strings[order], velocity, -0.35, Part.GUITAR);
      }
    }
  }

  private void arpeggio(double t, int[] chord) {
    double step = style.feel() == Feel.DRIVING ? 0.25 : 0.5;
    int[] tones = {place(chord[0], 60), place(chord[1], 60), place(chord[2], 60), place(chord[0], 60) + 12};
    for (int i = 0; i < 4 / step; i++) add(t + i * step, step * 0.8, tones[i % 4], i % 2 == 0 ? 0.9 : 0.7, 0.25, Part.SYNTH);
  }

  private void bass(double t, int rootPc, int fifthPc) {
    int root = place(rootPc, 36);
    int fifth = root + Math.floorMod(fifthPc - root, 12);
    switch (style.feel()) {
      case CALM -> {
        add(t, 2, root, 0.8, 0, Part.BASS);
        add(t + 2, 2, fifth, 0.7, 0, Part.BASS);
      }
      case STEADY -> {
        add(t, 1.5, root, 0.9, 0, Part.BASS);
        add(t + 1.5, 0.5, root, 0.6, 0, Part.BASS);
        add(t + 2, 1, fifth, 0.8, 0, Part.BASS);
        add(t + 3, 1, root + 12, 0.7, 0, Part.BASS);
      }
      case DRIVING -> {
        for (int i = 0; i < 8; i++) add(t + 0.5 * i, 0.45, i % 2 == 0 ? root : root + 12, i % 2 == 0 ? 0.9 : 0.7, 0, Part.BASS);
      }
    }
  }

  private void drums(double t, int bar) {
    boolean fill = bar % 8 == 7;
    switch (style.feel()) {
      case CALM -> {
        drum(t, Kit.KICK, 0.9);
        if (extraKick) drum(t + 2.5, Kit.KICK, 0.6);
        drum(t + 2, Kit.SNARE, 0.6);
        for (int b = 0; b < 4; b++) drum(t + b, Kit.HAT, b % 2 == 0 ? 0.6 : 0.45);
      }
      case STEADY -> {
        drum(t, Kit.KICK, 1);
        drum(t + 2, Kit.KICK, 0.85);
        if (extraKick) drum(t + 2.5, Kit.KICK, 0.65);
        drum(t + 1, Kit.SNARE, 0.9);
        if (!fill) drum(t + 3, Kit.SNARE, 0.9);
        for (int e = 0; e < 8; e++) drum(t + 0.5 * e, Kit.HAT, e % 2 == 0 ? 0.7 : 0.5);
      }
      case DRIVING -> {
        for (int b = 0; b < 4; b++) drum(t + b, Kit.KICK, 0.8);
        drum(t + 1, Kit.SNARE, 0.9);
        if (!fill) drum(t + 3, Kit.SNARE, 0.9);
        for (int e = 0; e < 8; e++) drum(t + 0.5 * e, e % 2 == 1 && e != 7 ? Kit.OPEN_HAT : Kit.HAT, e % 2 == 0 ? 0.5 : 0.6);
      }
    }
    if (fill && style.feel() != Feel.CALM) {
      for (int s = 0; s < 4; s++) drum(t + 3 + 0.25 * s, Kit.SNARE, 0.5 + 0.13 * s);
    }
  }

  private void drum(double at, int key, double velocity) {
    add(at, 0.25, key, velocity * (0.95 + 0.05 * rng.nextDouble()), key == Kit.KICK ? 0 : key == Kit.SNARE ? 0.05 : 0.3, Part.DRUMS);
  }

  /**
   * One phrase per lyric line, two bars (four for long lines), syllables on eighths (sixteenths when
   * crowded), a breath between sections, and the lyrics sung again after a break while time remains.
   */
  private void melody(Lyrics lyrics, int intro, int bars) {
    if (lyrics.instrumental()) return;
    int bar = intro;
    int section = lyrics.lines().get(0).section();
    while (true) {
      for (Lyrics.Line line : lyrics.lines()) {
        if (line.section() != section) bar += 2;
        section = line.section();
        int phraseBars = line.syllables().size() <= 14 ? 2 : 4;
        if (bar + phraseBars > bars - 1) return;
        phrase(line, bar, phraseBars);
        bar += phraseBars;
      }
      bar += 4;
    }
  }

  private void phrase(Lyrics.Line line, int bar, int phraseBars) {
    int perBeat = line.syllables().size() <= phraseBars * 8 - 2 ? 2 : 4;
    int slots = (phraseBars * 4 - 1) * perBeat; // the last beat is a breath
    int n = Math.min(line.syllables().size(), slots);
    int[] length = new int[n];
    Arrays.fill(length, 1);
    int spare = slots - n;
    int tail = Math.min(spare, 2 * perBeat - 1);
    length[n - 1] += tail;
    for (spare -= tail; spare > 0; spare--) length[rng.nextInt(n)]++;

    int base = place(style.tonic(), 57);
    int lift = line.lifted() ? 2 : 0;
    int slot = 0;
    for (int i = 0; i < n; i++) {
      double at = 4.0 * bar + slot / (double) perBeat;
      int chordRoot = loop[(int) (at / 4) % loop.length];
      boolean strong = slot % perBeat == 0;
      int d = Math.max(-3 + lift, Math.min(7 + lift, melodyDegree + MELODY_STEPS[rng.nextInt(MELODY_STEPS.length)]));
      if (strong || i == n - 1) d = nearestChordTone(d, chordRoot);
      melodyDegree = d;
      int key = base + scale[Math.floorMod(d, 7)] + 12 * Math.floorDiv(d, 7);
      addSung(at, length[i] / (double) perBeat * 0.92, key, strong ? 0.85 : 0.75, line.syllables().get(i));
      slot += length[i];
    }
  }

  /** Chord tones sit on steps 0, 2 and 4 above the root, so one step always reaches one. */
  private static int nearestChordTone(int degree, int chordRoot) {
    return switch (Math.floorMod(degree - chordRoot, 7)) {
      case 1, 3, 5 -> degree - 1;
      case 6 -> degree + 1;
      default -> degree;
    };
  }

  private int pitchClass(int degree) {
    return style.tonic() + scale[Math.floorMod(degree, 7)];
  }

  /** The key of pitch class pc in the octave starting at low. */
  private static int place(int pc, int low) {
    return low + Math.floorMod(pc - low, 12);
  }

  private void add(double at, double beats, int key, double velocity, double pan, Part part) {
    note(at, beats, key, velocity, pan, part, null);
  }

  private void addSung(double at, double beats, int key, double velocity, Vowel vowel) {
    note(at, beats, key, velocity, 0, Part.VOICE, vowel);
  }

  private void note(double at, double beats, int key, double velocity, double pan, Part part, Vowel vowel) {
    int start = (int) Math.round(at * beat);
    if (start >= frames) return;
    int length = Math.max(1, (int) Math.round((at + beats) * beat) - start);
    notes.add(new Note(start, length, key, (float) velocity, (float) pan, part, vowel));
  }
}
