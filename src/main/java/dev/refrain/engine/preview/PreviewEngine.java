package dev.refrain.engine.preview;

import dev.refrain.audio.Analysis;
import dev.refrain.audio.AudioClip;
import dev.refrain.audio.Loudness;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskInput;
import dev.refrain.core.TaskType;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.LocalEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The out-of-the-box engine: procedural music composed and synthesised in process on the CPU, with
 * no neural model. The style prompt sets genre, tempo, key and instruments, the lyrics the song's
 * sections and sung line; for audio-driven tasks an analysis of the input sets tempo, beat grid, key
 * and sections, and for txt2audio with a reference its analysis sets tempo, key and how bright the
 * instruments play. The mix is rendered once into a scratch file while its loudness is measured, then
 * read back through the master bus (to {@link #TARGET_LUFS}, true peak under −1 dBTP)
 * straight into the encoder, so memory stays flat for any duration. Deterministic for a seed.
 */
public final class PreviewEngine extends LocalEngine {
  /** txt2audio output rate; the other task types keep their source's rate. */
  public static final int SAMPLE_RATE = 44_100;
  /** Integrated loudness of every output (for extend, of its new parts: the source between them is untouched). */
  public static final double TARGET_LUFS = -14;
  /** The limiter's ceiling for WAV and FLAC: under the promised −1 dBTP with room for 16-bit rounding. */
  public static final double CEILING_DBTP = -1.2;
  /**
   * The ceiling for MP3: the encoder's low-pass and quantisation noise raise true peaks, by up to
   * 1.3 dB at 128 kbit/s on drum-heavy mixes (0.6 dB at 320), so lossy output leaves more room.
   */
  public static final double MP3_CEILING_DBTP = -2.5;

  /** Frames per render block: the granularity of progress reports and of cancellation. */
  private static final int BLOCK = 8192;
  /**
   * How long each new part of an extend takes to meet the source: it fades out (or in) while the
   * source's edge sample ramps in (see {@link Mastered.Join}). Long enough that the ramp is no click
   * (a full-scale step spread over 1,300 samples), short enough to be heard as a cut, not a fade.
   */
  private static final double JOIN_SECONDS = 0.03;
  /**
   * About the median spectral centroid of this engine's own renders (680 Hz for solo piano to 3.2 kHz
   * for a jazz trio with sax): a reference there leaves the instruments as they are.
   */
  private static final double USUAL_CENTROID_HZ = 1700;
  private static final double BRIGHTNESS_PER_OCTAVE = 0.3;
  private static final double MAX_BRIGHTNESS = 0.5;

  private final Path scratch;

  /** {@code scratch}: where renders spill while they are mastered. */
  public PreviewEngine(int concurrency, Path scratch) {
    super(concurrency);
    this.scratch = scratch;
  }

  @Override
  public String name() {
    return "preview";
  }

  @Override
  public boolean serves(TaskType type) {
    return type != null;
  }

  /** The diffusion model's settings mean nothing to a procedural engine. */
  @Override
  public List<String> unused(TaskInput in) {
    List<String> notes = new ArrayList<>();
    if (in.inferStep() != null) notes.add(unused("infer_step", "it has no diffusion steps"));
    if (in.guidanceScale() != null) notes.add(unused("guidance_scale", "it follows the style prompt by rule, not by guidance"));
    if (in instanceof TaskInput.Audio2Audio a && a.refAudioStrength() != null) {
      notes.add(unused("ref_audio_strength", "it always takes the reference's tempo, key and sections"));
    }
    if (in instanceof TaskInput.Edit e && e.editStrength() != null) {
      notes.add(unused("edit_strength", "it always keeps the input's tempo, key and sections"));
    }
    return notes;
  }

  private String unused(String field, String why) {
    return "input." + field + " is not used by engine " + name() + ": " + why;
  }

  @Override
  public EngineOutput render(EngineJob job, EngineContext ctx) throws IOException {
    ctx.checkCancelled();
    TaskType type = job.type();
    AudioClip source = job.sourceAudio();
    if (type != TaskType.TXT2AUDIO && source == null) {
      throw new IllegalArgumentException(type.wire() + " needs source audio");
    }
    boolean edit = type == TaskType.EDIT;
    SplittableRandom seed = new SplittableRandom(job.seed());
    SplittableRandom styleRng = seed.split();
    SplittableRandom scoreRng = seed.split();
    SplittableRandom soundRng = seed.split();
    Style style = Style.of(edit ? job.editStylePrompt() : job.stylePrompt(), job.negativeStylePrompt(), styleRng);
    Lyrics lyrics = Lyrics.parse(edit ? job.editLyrics() : job.lyrics());

    Analysis analysis = null;
    if (source != null) {
      ctx.progress(0, "analyse");
      long t0 = System.nanoTime();
      analysis = Analysis.of(source);
      style = style.withTempo(analysis.bpm()).withKey(analysis.tonic(), analysis.minor());
      ctx.log(String.format(Locale.ROOT,
          "input analysed in %d ms: %.1f bpm, %d/4, first beat at %.3f s, %s (confidence %.2f), %.1f LUFS, %d section(s) at %s s",
          (System.nanoTime() - t0) / 1_000_000, analysis.bpm(), analysis.beatsPerBar(), analysis.firstBeatSeconds(),
          Style.keyName(analysis.tonic(), analysis.minor()), analysis.keyConfidence(),
          analysis.loudnessLufs(), analysis.sectionStarts().size(),
          analysis.sectionStarts().stream().map(s -> String.format(Locale.ROOT, "%.1f", s)).collect(Collectors.joining(", "))));
    }
    if (job.referenceAudio() != null) {
      ctx.progress(0, "analyse reference");
      long t0 = System.nanoTime();
      Analysis ref = Analysis.of(job.referenceAudio());
      long took = (System.nanoTime() - t0) / 1_000_000;
      if (Double.isFinite(ref.loudnessLufs())) {
        double brightness = brightness(ref.centroidHz());
        // A compound meter counts eighths as beats; the reference's beat is its dotted quarter.
        style = style.withTempo(style.compound() ? 3 * ref.bpm() : ref.bpm()).withKey(ref.tonic(), ref.minor())
            .withBrightness(brightness);
        ctx.log(String.format(Locale.ROOT, "reference: %.0f BPM, %s, %s timbre (spectral centroid %.0f Hz), analysed in %d ms",
            ref.bpm(), Style.keyName(ref.tonic(), ref.minor()), timbre(brightness), ref.centroidHz(), took));
      } else {
        ctx.log("reference: silent (or shorter than a loudness block), so nothing is taken from it; the style prompt alone decides");
      }
    }
    ctx.log(String.format(Locale.ROOT, "preview engine: procedural audio, no neural model; seed %d; %s; %s",
        job.seed(), style.describe(), lyrics.describe()));
    if (!style.unknown().isEmpty()) ctx.log("style prompt: not understood, so ignored: " + String.join(", ", style.unknown()));

    int rate = source == null ? SAMPLE_RATE : source.sampleRate();
    int left = type == TaskType.EXTEND ? frames(job.leftExtend(), rate) : 0;
    int right = type == TaskType.EXTEND ? frames(job.rightExtend(), rate) : 0;
    int middle = type == TaskType.TXT2AUDIO ? frames(job.duration(), rate) : source.frames();
    Grid grid = analysis == null
        ? Grid.of(rate, middle, style.bpm(), style.beatsPerBar())
        : grid(analysis, rate, left, middle, right);
    ctx.progress(0, "compose");
    // audio2audio and edit play over the input's own chords; extend's new parts and txt2audio write their own.
    boolean follow = type == TaskType.AUDIO2AUDIO || type == TaskType.EDIT;
    SourceMusic music = type == TaskType.EDIT ? SourceMusic.edit(analysis)
        : type == TaskType.AUDIO2AUDIO ? SourceMusic.audio2audio(analysis) : SourceMusic.none();
    Score score = Composer.compose(style, lyrics, grid, scoreRng, music);
    if (!score.form().isEmpty()) ctx.log("form: " + form(score.form(), grid));
    if (follow) ctx.log(taken(type, analysis, music, style));
    if (follow && !analysis.chords().isEmpty()) {
      ctx.log(String.format(Locale.ROOT, "harmony from the input: %d bars, %s%s", analysis.chords().size(),
          analysis.chords().stream().limit(8).map(c -> Style.chordName(c.root(), c.minor())).collect(Collectors.joining(" ")),
          analysis.chords().size() > 8 ? " …" : ""));
    }

    Spill spill = new Spill(scratch, BLOCK);
    try {
      Render render = new Render(score, grid, soundRng, spill, ctx, Math.max(1, type == TaskType.EXTEND ? left + right : middle));
      // Each rendered piece with its loudness before mastering.
      List<Mastered.Piece> pieces = new ArrayList<>();
      List<Double> loudness = new ArrayList<>();
      if (type == TaskType.EXTEND) {
        // New parts continue the source's beat grid outwards and meet it at its edges (see JOIN_SECONDS).
        if (left > 0) {
          int join = joinFrames(rate, left);
          loudness.add(render.span(0, left, Math.min(2 * rate, left / 4), join, null));
          pieces.add(new Mastered.Rendered(0, left, 1, new Mastered.Join(edge(source, 0), join, true)));
        }
        pieces.add(new Mastered.Original(source));
        if (right > 0) {
          int join = joinFrames(rate, right);
          long at = spill.frames();
          loudness.add(render.span(left + middle, left + middle + right, join, Math.min(2 * rate, right / 4), null));
          pieces.add(new Mastered.Rendered(at, right, 1, new Mastered.Join(edge(source, middle - 1), join, false)));
        }
      } else {
        SourceContour contour = source == null ? null : SourceContour.of(source);
        loudness.add(render.span(0, middle, Math.min(rate / 100, middle / 4), Math.min(3 * rate / 2, middle / 4), contour));
        pieces.add(new Mastered.Rendered(0, middle, 1, null));
      }
      ctx.progress(0.95, "master");
      double ceiling = job.format() == OutputFormat.MP3 ? MP3_CEILING_DBTP : CEILING_DBTP;
      // One gain per piece to the target; the limiter then takes a little loudness off the top, so
      // each piece is measured once through it and its gain corrected.
      int measured = 0;
      for (int i = 0; i < pieces.size(); i++) {
        if (pieces.get(i) instanceof Mastered.Rendered r) {
          Mastered.Rendered first = r.withGain(gainTo(TARGET_LUFS, loudness.get(measured++)));
          double after = measure(new Mastered(rate, 2, List.of(first), spill, ceiling));
          pieces.set(i, first.withGain(first.gain() * gainTo(TARGET_LUFS, after)));
        }
      }
      if (type == TaskType.EXTEND) {
        // The analysis measured the source's loudness and true peak already.
        double peak = analysis.truePeakDbtp();
        ctx.log(String.format(Locale.ROOT, "new parts mastered to %.1f LUFS (limiter at %.1f dBTP), source untouched between them (%s)",
            TARGET_LUFS, ceiling, Double.isFinite(peak)
                ? String.format(Locale.ROOT, "%.1f LUFS, true peak %.1f dBTP", analysis.loudnessLufs(), peak) : "silent"));
      } else {
        ctx.log(String.format(Locale.ROOT, "mastered to %.1f LUFS (limiter at %.1f dBTP)", TARGET_LUFS, ceiling));
      }
      int channels = type == TaskType.EXTEND ? source.channelCount() : 2;
      return new EngineOutput.Stream(new Mastered(rate, channels, pieces, spill, ceiling));
    } catch (RuntimeException e) {
      spill.close();
      throw e;
    }
  }

  /**
   * The input's beat grid and sections, for a piece of left + middle + right frames whose middle is
   * the input: extend's new parts continue the input's grid outwards and start sections at its edges.
   */
  private static Grid grid(Analysis a, int rate, int left, int middle, int right) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    if (left > 0) starts.add(left);
    for (double s : a.sectionStarts()) {
      int at = left + (int) Math.round(s * rate);
      if (at > starts.getLast() && at < left + middle) starts.add(at);
    }
    if (right > 0 && left + middle > starts.getLast()) starts.add(left + middle);
    return new Grid(rate, left + middle + right, rate * 60 / a.bpm(), a.beatsPerBar(), left + a.downbeatSeconds() * rate, starts);
  }

  /** What the new performance took over from the input, for the log; with why where it took nothing. */
  private static String taken(TaskType type, Analysis input, SourceMusic music, Style style) {
    List<String> out = new ArrayList<>();
    if (type == TaskType.EDIT) {
      out.add(music.melodyTaken > 0
          ? String.format(Locale.ROOT, "melody: %d notes taken from the source (%d heard there)", music.melodyTaken, input.melody().size())
          : input.melody().isEmpty() ? "melody: none heard in the source, so the tune is the engine's own"
          : "melody: nothing sung, so the source's tune (" + input.melody().size() + " notes) is not used");
    }
    out.add(music.bassTaken > 0 ? String.format(Locale.ROOT, "bass line from the source (%d notes on its line)", music.bassTaken)
        : !style.parts().contains(Part.BASS) ? "no bass part, so the source's bass line is not played"
        : "bass line: none heard in the source, so on the chords' roots");
    if (type == TaskType.EDIT) {
      out.add(music.drumBarsTaken > 0 ? String.format(Locale.ROOT, "drums: kick/snare pattern from the source in %d bars", music.drumBarsTaken)
          : !style.parts().contains(Part.DRUMS) ? "drums: none in this style"
          : style.genre().groove().ownsItsKick() ? "drums: the " + style.genre().name() + " groove's own kick and snare"
          : "drums: no kick heard in the source, so the groove's own");
    }
    return String.join("; ", out);
  }

  /**
   * How much brighter or darker than usual the instruments play (see {@link Style#brightness()}) to
   * sound like a reference with this spectral centroid: {@link #BRIGHTNESS_PER_OCTAVE} for each
   * octave above or below {@link #USUAL_CENTROID_HZ}, within ±{@link #MAX_BRIGHTNESS}.
   */
  private static double brightness(double centroidHz) {
    double octaves = StrictMath.log(centroidHz / USUAL_CENTROID_HZ) / StrictMath.log(2);
    return Math.clamp(octaves * BRIGHTNESS_PER_OCTAVE, -MAX_BRIGHTNESS, MAX_BRIGHTNESS);
  }

  /**
   * The sections for the log with the time each starts, e.g. {@code intro 0:00, verse 1 0:08,
   * chorus 0:30, verse 2 0:51, chorus 1:13}: a kind that comes with different material is numbered
   * by it, so the same label is the same music.
   */
  static String form(List<Arrangement.Span> spans, Grid grid) {
    Map<Section, List<String>> materials = new EnumMap<>(Section.class);
    for (Arrangement.Span s : spans) {
      List<String> keys = materials.computeIfAbsent(s.kind(), k -> new ArrayList<>());
      if (!keys.contains(s.key())) keys.add(s.key());
    }
    List<String> out = new ArrayList<>();
    for (Arrangement.Span s : spans) {
      List<String> keys = materials.get(s.kind());
      int seconds = (int) ((grid.downbeat() + s.start() * grid.framesPerBeat()) / grid.rate());
      out.add(s.kind().label() + (keys.size() > 1 ? " " + (keys.indexOf(s.key()) + 1) : "")
          + String.format(Locale.ROOT, " %d:%02d", seconds / 60, seconds % 60));
    }
    return String.join(", ", out);
  }

  /** A word for the log. */
  private static String timbre(double brightness) {
    return brightness >= MAX_BRIGHTNESS / 3 ? "bright" : brightness <= -MAX_BRIGHTNESS / 3 ? "dark" : "balanced";
  }

  private static double gainTo(double targetLufs, double measuredLufs) {
    return Double.isFinite(measuredLufs) ? StrictMath.pow(10, (targetLufs - measuredLufs) / 20) : 1;
  }

  private static double measure(Mastered stream) {
    Loudness meter = new Loudness(stream.sampleRate(), 2);
    float[][] block = new float[2][BLOCK];
    for (int n; (n = stream.read(block, 0, BLOCK)) > 0; ) meter.add(block, 0, n);
    return meter.integrated();
  }

  /** Renders spans of the score into the spill, measuring their loudness on the way. */
  private static final class Render {
    private final Score score;
    private final Grid grid;
    private final SplittableRandom rng;
    private final Spill spill;
    private final EngineContext ctx;
    private final double total;
    private final float[][] block = new float[2][BLOCK];
    private long done;

    Render(Score score, Grid grid, SplittableRandom rng, Spill spill, EngineContext ctx, int total) {
      this.score = score;
      this.grid = grid;
      this.rng = rng;
      this.spill = spill;
      this.ctx = ctx;
      this.total = total;
    }

    /**
     * Frames [from, to) of the piece, faded in over its first {@code fadeIn} frames and out over its
     * last {@code fadeOut}. Playing starts a bar or more earlier, so notes and reverb already
     * sounding at {@code from} are heard; that lead-in is rendered and dropped. Returns the span's
     * integrated loudness.
     */
    double span(int from, int to, int fadeIn, int fadeOut, SourceContour contour) {
      Loudness meter = new Loudness(grid.rate(), 2);
      double bar = grid.framesPerBar();
      int begin = Math.max(0, (int) Math.round(Math.floor((from - bar - grid.downbeat()) / bar) * bar + grid.downbeat()));
      Mixer mixer = new Mixer(score, grid.rate(), rng, begin);
      for (int pos = begin; pos < to; ) {
        ctx.checkCancelled();
        int n = Math.min(BLOCK, (pos < from ? from : to) - pos);
        Arrays.fill(block[0], 0, n, 0f);
        Arrays.fill(block[1], 0, n, 0f);
        mixer.render(block[0], block[1], 0, n);
        if (pos >= from) {
          if (contour != null) contour.apply(pos, 0, n, block);
          fade(pos - from, to - from, fadeIn, fadeOut, n);
          meter.add(block, 0, n);
          spill.append(block[0], block[1], 0, n);
          done += n;
          ctx.progress(0.9 * done / total, "render");
        }
        pos += n;
      }
      return meter.integrated();
    }

    /** Linear fades over the span's first and last frames; {@code at} is the block's place in the span. */
    private void fade(int at, int length, int fadeIn, int fadeOut, int n) {
      for (int i = 0; i < n; i++) {
        int k = at + i;
        float g = 1;
        if (k < fadeIn) g = k / (float) fadeIn;
        if (length - 1 - k < fadeOut) g = Math.min(g, (length - 1 - k) / (float) fadeOut);
        if (g < 1) {
          block[0][i] *= g;
          block[1][i] *= g;
        }
      }
    }
  }

  /** The frames over which a new part of {@code length} frames meets the source: at least one, at most a quarter of it. */
  private static int joinFrames(int rate, int length) {
    return Math.max(1, Math.min((int) Math.round(JOIN_SECONDS * rate), length / 4));
  }

  /** The source's frame {@code at}, one value per channel. */
  private static float[] edge(AudioClip source, int at) {
    float[] out = new float[source.channelCount()];
    for (int c = 0; c < out.length; c++) out[c] = source.channels()[c][at];
    return out;
  }

  private static int frames(double seconds, int rate) {
    if (!(seconds >= 0)) throw new IllegalArgumentException("duration must be a non-negative number of seconds");
    return Math.toIntExact(Math.round(seconds * rate));
  }
}
