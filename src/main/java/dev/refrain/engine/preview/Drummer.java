package dev.refrain.engine.preview;

import dev.refrain.audio.Analysis;
import java.util.SplittableRandom;

/**
 * Plays the genre's groove through a passage: lighter in sparse sections (kick, quarter hats, rim),
 * with its extras and open hats in full ones, a crash on the section's first beat and a fill into
 * the next section. Compound meters get a lilting pattern of their own. Re-performing an input, a
 * bar plays the input's kick and snare where the genre's groove leaves them free (see
 * {@link Groove#ownsItsKick()}), with the genre's hats and colours over them. Asked for brushes, the
 * drummer sweeps and taps the snare where the sticks would play snare, hats or ride.
 */
final class Drummer {
  private static final int[] THREE_OF_FOUR = {0, 1, 3};

  private Drummer() {}

  static void play(Sheet sheet, Style style, Passage p, SplittableRandom rng, SourceMusic source) {
    Groove g = style.genre().groove() == Groove.NONE ? Groove.SPARSE : style.genre().groove();
    if (p.intensity() == 0 || p.bars().isEmpty()) return;
    int bpb = style.beatsPerBar();
    double level = 0.75 + 0.25 * style.energy();
    if (!Double.isNaN(p.crash())) hit(sheet, p, p.crash(), Kit.CRASH, level, rng);
    Passage.Bar lastFull = p.fullBars(bpb).isEmpty() ? null : p.fullBars(bpb).getLast();
    for (Passage.Bar bar : p.bars()) {
      // Every passage is followed by another section or by the closing chord, so each ends with a fill.
      boolean fill = bar == lastFull;
      // A beat or two of sixteenths; in compound meters, whose beats are eighths, a dotted quarter of them.
      double fillLength = style.compound() ? 3 : p.intensity() >= 3 && bpb >= 4 ? 2 : 1;
      double fillFrom = fill ? bar.line() + bpb - fillLength : Double.MAX_VALUE;
      if (style.compound()) {
        compound(sheet, p, bar, bpb, level, fillFrom, rng);
      } else {
        Analysis.DrumBar heard = heard(sheet, g, bar, bpb, source);
        if (heard != null) source.drumBarsTaken++;
        groove(sheet, p, g, bar, bpb, level, fillFrom, rng, heard);
      }
      if (fill) fill(sheet, p, fillFrom, bar.line() + bpb, style.compound() ? 0.5 : 0.25, g, level, rng);
    }
  }

  /** The input's kick and snare for this bar, when the groove leaves them free and the input plays some there; else null. */
  private static Analysis.DrumBar heard(Sheet sheet, Groove g, Passage.Bar bar, int bpb, SourceMusic source) {
    if (g.ownsItsKick() || source.drums.isEmpty()) return null;
    double beatSeconds = sheet.grid().framesPerBeat() / sheet.grid().rate();
    Analysis.DrumBar heard = source.drumBarAt(sheet.frame(bar.line()) / sheet.grid().rate(), beatSeconds);
    return heard != null && heard.steps() == 4 * bpb && heard.kick() != 0 ? heard : null;
  }

  /** The groove's bar, or with {@code heard} the input's kick and snare under the groove's hats and colours. */
  private static void groove(Sheet sheet, Passage p, Groove g, Passage.Bar bar, int bpb, double level, double fillFrom,
      SplittableRandom rng, Analysis.DrumBar heard) {
    String kick = heard == null ? g.kick : line(heard.kick(), heard.steps());
    String snare = heard == null ? g.snare : line(heard.snare(), heard.steps());
    int patternBeats = g.beats();
    boolean light = p.intensity() == 1;
    boolean full = p.intensity() >= 3;
    for (int j = 0; j < bpb; j++) {
      int pj = bpb == patternBeats ? j : bpb == 3 && patternBeats == 4 ? THREE_OF_FOUR[j] : j % patternBeats;
      for (int s = 0; s < 4; s++) {
        double t = bar.line() + j + s / 4.0;
        if (t < p.from() || t >= fillFrom) continue;
        int step = pj * 4 + s;
        int own = heard == null ? step : j * 4 + s;
        play(sheet, p, kick, own, t, Kit.KICK, level, light, rng);
        play(sheet, p, snare, own, t, light ? Kit.RIM : g.snareKey, level, light, rng);
        if (light) {
          if (s == 0 && !g.hat.isEmpty()) hit(sheet, p, t, g.hatKey(), 0.45 * level, rng);
          continue;
        }
        play(sheet, p, g.hat, step, t, g.hatKey(), 0.8 * level, false, rng);
        if (full) {
          play(sheet, p, g.openHat, step, t, Kit.OPEN_HAT, 0.7 * level, false, rng);
          play(sheet, p, g.extra, step, t, g.extraKey, 0.7 * level, false, rng);
        } else if (g == Groove.JAZZ || g == Groove.BOSSA || g == Groove.LATIN || g == Groove.CINEMATIC || g == Groove.SPARSE) {
          play(sheet, p, g.extra, step, t, g.extraKey, 0.6 * level, false, rng);
        }
      }
      // Trap hats roll: a beat of thirty-seconds now and then.
      if (g == Groove.TRAP && !light && j % 2 == 1 && rng.nextInt(3) == 0) {
        for (int r = 1; r < 8; r += 2) hit(sheet, p, bar.line() + j + r / 8.0, Kit.HAT, (0.4 + 0.05 * r) * level, rng);
      }
    }
  }

  /** A pattern line from a bar's bits: an accent on the downbeat, hits elsewhere. */
  private static String line(long bits, int steps) {
    StringBuilder out = new StringBuilder(steps);
    for (int i = 0; i < steps; i++) out.append((bits >>> i & 1) == 0 ? '.' : i == 0 ? 'X' : 'x');
    return out.toString();
  }

  /** Six-eight and friends: kick on the first pulse, backbeat on the second, every eighth on the hat. */
  private static void compound(Sheet sheet, Passage p, Passage.Bar bar, int bpb, double level, double fillFrom,
      SplittableRandom rng) {
    for (int j = 0; j < bpb; j++) {
      double t = bar.line() + j;
      if (t < p.from() || t >= fillFrom) continue;
      if (j % 6 == 0) hit(sheet, p, t, Kit.KICK, level, rng);
      if (j % 6 == 3) hit(sheet, p, t, p.intensity() == 1 ? Kit.RIM : Kit.SNARE, 0.85 * level, rng);
      if (p.intensity() >= 2) hit(sheet, p, t, Kit.HAT, (j % 3 == 0 ? 0.7 : 0.5) * level, rng);
      if (p.intensity() >= 3 && j % 6 == 5) hit(sheet, p, t, Kit.KICK, 0.6 * level, rng);
    }
  }

  /** Even notes of {@code step} beats from {@code from} to the bar line, snare climbing into toms as it goes. */
  private static void fill(Sheet sheet, Passage p, double from, double to, double step, Groove g, double level,
      SplittableRandom rng) {
    int[] voices = g == Groove.JAZZ ? new int[] {Kit.SNARE} : new int[] {Kit.SNARE, Kit.TOM_HIGH, Kit.TOM_MID, Kit.TOM_LOW};
    int steps = (int) Math.round((to - from) / step);
    for (int i = 0; i < steps; i++) {
      if (p.intensity() == 1 && i % 2 == 1) continue;
      int voice = voices[Math.min(voices.length - 1, i * voices.length / steps)];
      hit(sheet, p, from + i * step, voice, (0.5 + 0.45 * i / steps) * level, rng);
    }
  }

  private static void play(Sheet sheet, Passage p, String pattern, int step, double t, int key, double level, boolean light,
      SplittableRandom rng) {
    if (pattern.isEmpty()) return;
    char c = pattern.charAt(step % pattern.length());
    double v = switch (c) {
      case 'X' -> 1.0;
      case 'x' -> light ? 0 : 0.85;
      case 'o' -> light ? 0 : 0.6;
      case 'g' -> light ? 0 : 0.3;
      default -> 0;
    };
    if (v > 0) hit(sheet, p, t, key, v * level, rng);
  }

  private static void hit(Sheet sheet, Passage p, double t, int played, double velocity, SplittableRandom rng) {
    int key = sheet.instrument(Part.DRUMS) == Instrument.BRUSHES ? Kit.brushed(played) : played;
    double pan = switch (key) {
      case Kit.HAT, Kit.OPEN_HAT, Kit.PEDAL_HAT -> 0.3;
      case Kit.RIDE, Kit.CRASH -> -0.3;
      case Kit.TOM_HIGH -> 0.25;
      case Kit.TOM_LOW -> -0.25;
      case Kit.CONGA_HIGH, Kit.COWBELL, Kit.SHAKER, Kit.TAMBOURINE -> 0.4;
      default -> 0;
    };
    sheet.add(t, 0.25, key, velocity * (0.92 + 0.08 * rng.nextDouble()), pan, Part.DRUMS, null, p.from(), p.to());
  }
}
