package dev.refrain.engine.preview;

import dev.refrain.audio.Analysis;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the score: lays the sections onto the grid, gives each its chords, and has the drummer,
 * the bass player, the accompanists and the singer (or the lead instrument) play them, ending on
 * the tonic chord ringing to the last frame. A long song's last chorus goes up a whole tone, and
 * the song with it. Each concern draws from its own random stream, so a choice in one part never
 * shifts another's.
 */
final class Composer {
  /** Instruments that can carry a tune, most song-like first: the first one playing leads. */
  private static final List<Part> LEADS = List.of(Part.SAX, Part.FLUTE, Part.BRASS, Part.SYNTH, Part.GUITAR, Part.PIANO,
      Part.EPIANO, Part.ORGAN, Part.BELLS, Part.STRINGS);

  private Composer() {}

  /** Writes the piece for {@code grid}: the notes cover [0, grid.frames()), on its beats and sections. */
  static Score compose(Style requested, Lyrics lyrics, Grid grid, SplittableRandom rng) {
    return compose(requested, lyrics, grid, rng, SourceMusic.none());
  }

  /**
   * {@link #compose(Style, Lyrics, Grid, SplittableRandom)} over an input's music: each bar plays the
   * chord the input has at its middle (seconds from the grid's start), where it has one; the tune,
   * the bass line and the drums follow the input's where {@code source} has them.
   */
  static Score compose(Style requested, Lyrics lyrics, Grid grid, SplittableRandom rng, SourceMusic source) {
    SplittableRandom form = rng.split();
    SplittableRandom harmony = rng.split();
    SplittableRandom drums = rng.split();
    SplittableRandom bass = rng.split();
    // One stream per instrument, made for every instrument, so adding strings leaves the piano's choices alone.
    EnumMap<Part, SplittableRandom> comping = new EnumMap<>(Part.class);
    for (Part part : Part.values()) comping.put(part, rng.split());
    long tunes = rng.nextLong();
    int[] alternative = {harmony.nextInt(1 << 16), harmony.nextInt(1 << 16), harmony.nextInt(1 << 16)};

    Style style = requested.withMeter(grid.beatsPerBar());
    Sheet sheet = new Sheet(grid, style);
    List<Arrangement.Span> spans = Arrangement.lay(lyrics, style, sheet, form);
    int bpb = grid.beatsPerBar();
    double end = sheet.beat(grid.frames());
    double cadence = cadence(spans.getLast(), bpb, end);
    boolean voice = style.parts().contains(Part.VOICE);
    // Unaccompanied, the singer carries the tune where there are no words, on an open vowel.
    Part lead = LEADS.stream().filter(style.parts()::contains).findFirst().orElse(voice ? Part.VOICE : null);

    int lift = liftFrom(spans, grid);
    Style home = style;
    for (int i = 0; i < spans.size(); i++) {
      Arrangement.Span span = spans.get(i);
      if (i == lift) style = home.withKey(home.tonic() + LIFT, home.minor());
      boolean last = i == spans.size() - 1;
      double to = last ? cadence : span.end();
      List<Passage.Bar> bars = bars(span.start(), to, bpb);
      if (bars.isEmpty()) continue;
      Passage p = new Passage(span, span.start(), to, bars, chords(style, span.kind(), bars, bpb, alternative, last, sheet, source.chords),
          intensity(span.kind(), style), crash(span, i, bars));

      Lyrics.Block block = span.block();
      boolean sung = block != null && !block.lines().isEmpty();
      boolean leads = lead != null && (sung ? !voice : span.kind().featuresLead());
      if (style.parts().contains(Part.DRUMS)) Drummer.play(sheet, style, p, drums, source);
      if (style.parts().contains(Part.BASS)) Bassist.play(sheet, style, p, bass, source);
      for (Part part : style.parts()) {
        if (part.harmonic()) Accompanist.play(sheet, style, p, part, leads && part == lead, comping.get(part));
      }
      if (sung && voice) Melody.sing(sheet, style, p, block, Part.VOICE, tunes, source);
      else if (sung && leads) Melody.sing(sheet, style, p, block, lead, tunes, source);
      else if (leads) Melody.play(sheet, style, p, lead, tunes);
    }
    ending(sheet, style, cadence, end);
    return sheet.score(spans);
  }

  /** Semitones the last chorus of a long song goes up, and the song with it to the end. */
  private static final int LIFT = 2;
  /** Choruses a song needs before its last one is lifted: a short song stays in its key. */
  private static final int CHORUSES_BEFORE_LIFT = 2;

  /**
   * The span from which a long song plays a whole tone up: its last chorus, when at least
   * {@link #CHORUSES_BEFORE_LIFT} came before it; -1 for none. Never where the grid's sections are
   * an input's (edit and audio2audio keep its key throughout).
   */
  private static int liftFrom(List<Arrangement.Span> spans, Grid grid) {
    if (!grid.sectionStarts().isEmpty()) return -1;
    int choruses = 0;
    int lastChorus = -1;
    for (int i = 0; i < spans.size(); i++) {
      if (spans.get(i).kind() == Section.CHORUS) {
        choruses++;
        lastChorus = i;
      }
    }
    return choruses > CHORUSES_BEFORE_LIFT ? lastChorus : -1;
  }

  /**
   * Where the final tonic chord starts: the last bar line, or the one before when the last bar is
   * under a beat long, but never before the last section.
   */
  private static double cadence(Arrangement.Span last, int bpb, double end) {
    double line = Math.floor((end - 1e-9) / bpb) * bpb;
    if (end - line < 1 && line - bpb >= last.start() - 1e-9) line -= bpb;
    return Math.max(line, last.start());
  }

  /** The grid's bars over [from, to), the first and last clipped where the span does not start or end on a bar line. */
  private static List<Passage.Bar> bars(double from, double to, int bpb) {
    List<Passage.Bar> bars = new ArrayList<>();
    double line = Math.floor(from / bpb + 1e-9) * bpb;
    int index = 0;
    for (; line < to - 1e-9; line += bpb) {
      double a = Math.max(line, from);
      double b = Math.min(line + bpb, to);
      if (b - a > 1e-9) bars.add(new Passage.Bar(line, a, b, a > line + 1e-9 ? 0 : index++));
    }
    return bars;
  }

  /**
   * Each bar's chords from the section kind's progression, bars sharing their length among their
   * chords; the last section's final bar leads into the tonic.
   */
  private static List<Passage.Timed> chords(Style style, Section kind, List<Passage.Bar> bars, int bpb, int[] alternative, boolean last,
      Sheet sheet, List<Analysis.BarChord> follow) {
    Harmony harmony = style.genre().harmony();
    int table = Harmony.table(kind);
    List<List<Chord>> progression = harmony.bars(table, alternative[table], style.tonic(), style.minor());
    List<Passage.Timed> out = new ArrayList<>();
    for (int i = 0; i < bars.size(); i++) {
      Passage.Bar bar = bars.get(i);
      Analysis.BarChord heard = heard(follow, sheet.frame((bar.from() + bar.to()) / 2) / sheet.grid().rate());
      List<Chord> chords = heard != null ? List.of(Chord.triad(heard.root(), heard.minor()))
          : last && i == bars.size() - 1 && bars.size() > 1
          ? List.of(harmony.leading(style.tonic(), style.minor()))
          : progression.get(bar.index() % progression.size());
      int n = chords.size();
      for (int c = 0; c < n; c++) {
        double a = bar.line() + Math.ceil((double) bpb * c / n);
        double b = c == n - 1 ? bar.line() + bpb : bar.line() + Math.ceil((double) bpb * (c + 1) / n);
        a = Math.max(a, bar.from());
        b = Math.min(b, bar.to());
        if (b > a) out.add(new Passage.Timed(a, b, chords.get(c)));
      }
    }
    return out;
  }

  /** The input's chord sounding at {@code seconds}: the last bar chord begun by then; null for none. */
  private static Analysis.BarChord heard(List<Analysis.BarChord> follow, double seconds) {
    Analysis.BarChord at = null;
    for (Analysis.BarChord c : follow) {
      if (c.seconds() > seconds) break;
      at = c;
    }
    return at;
  }

  /**
   * Sections crash on their first beat; the opening one only when it starts full, and on its first
   * bar line, after any pickup.
   */
  private static double crash(Arrangement.Span span, int index, List<Passage.Bar> bars) {
    if (index > 0) return span.start();
    if (span.kind().intensity < 2) return Double.NaN;
    return bars.stream().filter(b -> b.from() == b.line()).mapToDouble(Passage.Bar::line).findFirst().orElse(Double.NaN);
  }

  /** How full the band plays: the section's own level, one lower in calm music. */
  private static int intensity(Section kind, Style style) {
    int level = kind.intensity;
    return style.energy() < 0.3 && level > 1 ? level - 1 : level;
  }

  /** The tonic chord from the cadence to the end, on every pitched part, with a crash and a kick on it. */
  private static void ending(Sheet sheet, Style style, double from, double to) {
    if (to <= from) return;
    Chord tonic = Chord.triad(style.tonic(), style.minor());
    double len = to - from;
    for (Part part : style.parts()) {
      int low = switch (part) {
        case BASS -> 33;
        case STRINGS, GUITAR -> 48;
        case BELLS, FLUTE -> 72;
        case SYNTH, SAX, BRASS -> 60;
        default -> 55;
      };
      if (part == Part.DRUMS) {
        if (style.genre().groove() != Groove.NONE) {
          sheet.add(from, 0.25, Kit.CRASH, 0.85, -0.3, part, null, from, to);
          sheet.add(from, 0.25, Kit.KICK, 0.9, 0, part, null, from, to);
        }
      } else if (part == Part.BASS) {
        sheet.add(from, len, place(style.tonic(), low), 0.8, 0, part, null, from, to);
      } else if (part != Part.VOICE) {
        for (int key : tonic.voicing(low)) sheet.add(from, len, key, 0.55, 0, part, null, from, to);
        if (part == Part.PIANO && !style.parts().contains(Part.BASS)) sheet.add(from, len, place(style.tonic(), 36), 0.6, 0, part, null, from, to);
      }
    }
  }

  /** The key of pitch class pc in the octave starting at low. */
  static int place(int pc, int low) {
    return low + Math.floorMod(pc - low, 12);
  }
}
