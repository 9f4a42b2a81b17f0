package dev.refrain.engine.preview;

import dev.refrain.audio.AudioClip;
import dev.refrain.engine.LocalEngine;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.task.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The out-of-the-box engine: procedural music, rendered in process on the CPU, with no neural model.
 * It reads tempo, key, feel and instruments from the style prompt, writes a chord loop with bass,
 * drums and (given lyrics) a sung line, and renders it deterministically from the seed.
 */
public final class PreviewEngine extends LocalEngine {
  /** txt2audio output rate; the other task types keep their source's rate. */
  public static final int SAMPLE_RATE = 44_100;

  /** Frames per render block: the granularity of progress reports and of cancellation. */
  private static final int BLOCK = 1 << 15;
  /** Output peak, −1.5 dBFS: under the −1 dBFS promise with room for encoders' overshoot. */
  private static final double CEILING = StrictMath.pow(10, -1.5 / 20);
  /** Level range the extended material is matched into: −30 to −12 dBFS RMS. */
  private static final double QUIETEST = 0.0316;
  private static final double LOUDEST = 0.25;

  public PreviewEngine(int concurrency) {
    super(concurrency);
  }

  @Override
  public String name() {
    return "preview";
  }

  @Override
  public boolean serves(TaskType type) {
    return type != null;
  }

  @Override
  public EngineOutput render(EngineJob job, EngineContext ctx) {
    ctx.checkCancelled();
    boolean edit = job.type() == TaskType.EDIT;
    AudioClip source = job.sourceAudio();
    if (job.type() != TaskType.TXT2AUDIO && source == null) {
      throw new IllegalArgumentException(job.type().wire() + " needs source audio");
    }
    int rate = source == null ? SAMPLE_RATE : source.sampleRate();
    SplittableRandom rng = new SplittableRandom(job.seed());
    Style style = Style.of(edit ? job.editStylePrompt() : job.stylePrompt(), job.negativeStylePrompt(), rng);
    Lyrics lyrics = Lyrics.parse(edit ? job.editLyrics() : job.lyrics());
    ctx.log(String.format(Locale.ROOT, "preview engine: procedural audio, no neural model; %s, seed %d; %s; %s",
        style.describe(), job.seed(),
        style.parts().stream().map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")),
        lyrics.instrumental() ? "instrumental" : lyrics.lines().size() + " sung lines"));

    if (job.type() == TaskType.EXTEND) return extend(job, source, style, lyrics, rng, ctx);
    int frames = source == null ? frames(job.duration(), rate) : source.frames();
    Grid grid = Grid.of(rate, frames, style.bpm(), style.beatsPerBar());
    Score score = Composer.compose(style, lyrics, grid, rng);
    float[][] stereo = play(score, grid, rng, ctx, 0, frames).get(0);
    if (source != null) SourceContour.impose(source, stereo);
    Levels.fadeIn(Math.min(rate / 100, frames / 4), stereo);
    Levels.fadeOut(Math.min(2 * rate, frames / 4), stereo);
    float peak = Levels.peak(stereo);
    if (peak > 0) Levels.scale(CEILING / peak, stereo);
    return new EngineOutput.Pcm(new AudioClip(rate, stereo));
  }

  /**
   * New music before and after the source, composed as one piece around it, faded in and out within
   * the new parts only and matched to the source's level; the source's own samples are copied as they are.
   */
  private static EngineOutput extend(EngineJob job, AudioClip source, Style style, Lyrics lyrics,
      SplittableRandom rng, EngineContext ctx) {
    int rate = source.sampleRate();
    int left = frames(job.leftExtend(), rate);
    int middle = source.frames();
    int right = frames(job.rightExtend(), rate);
    int total = Math.addExact(Math.addExact(left, middle), right);
    Grid grid = Grid.of(rate, total, style.bpm(), style.beatsPerBar());
    Score score = Composer.compose(style, lyrics, grid, rng);
    List<float[][]> parts = play(score, grid, rng, ctx, 0, left, left + middle, total);
    float[][] before = parts.get(0);
    float[][] after = parts.get(1);
    Levels.fadeIn(Math.min(2 * rate, left / 4), before);
    Levels.fadeOut(Math.min(rate / 4, left / 4), before);
    Levels.fadeIn(Math.min(rate / 4, right / 4), after);
    Levels.fadeOut(Math.min(2 * rate, right / 4), after);
    float[][] generated = {before[0], before[1], after[0], after[1]};
    double rms = Levels.rms(generated);
    float peak = Levels.peak(generated);
    if (peak > 0) {
      double target = Math.max(QUIETEST, Math.min(LOUDEST, Levels.rms(source.channels())));
      Levels.scale(Math.min(target / rms, CEILING / peak), generated);
    }
    float[][] out = new float[source.channelCount()][total];
    for (int c = 0; c < out.length; c++) {
      place(before, c, out.length, out[c], 0);
      System.arraycopy(source.channels()[c], 0, out[c], left, middle);
      place(after, c, out.length, out[c], left + middle);
    }
    return new EngineOutput.Pcm(new AudioClip(rate, out));
  }

  /** Stereo onto the source's layout: mono gets the mid, further channels beyond two get the mid too. */
  private static void place(float[][] stereo, int channel, int channels, float[] out, int at) {
    float[] l = stereo[0];
    float[] r = stereo[1];
    if (channels > 1 && channel < 2) {
      System.arraycopy(stereo[channel], 0, out, at, l.length);
    } else {
      for (int i = 0; i < l.length; i++) out[at + i] = 0.5f * (l[i] + r[i]);
    }
  }

  /**
   * Renders the spans [from, to) given as pairs, block by block, checking for cancellation and
   * reporting progress between blocks. Each span starts playing at the bar line before it, so notes
   * already sounding at its start are heard; that lead-in is rendered and dropped.
   */
  private static List<float[][]> play(Score score, Grid grid, SplittableRandom rng, EngineContext ctx, int... spans) {
    long total = 0;
    for (int s = 0; s < spans.length; s += 2) total += spans[s + 1] - spans[s];
    long done = 0;
    float[][] discard = new float[2][BLOCK]; // lead-in lands here and is never read
    List<float[][]> out = new ArrayList<>();
    for (int s = 0; s < spans.length; s += 2) {
      int from = spans[s];
      int to = spans[s + 1];
      float[][] stereo = new float[2][to - from];
      out.add(stereo);
      if (from == to) continue;
      double bar = grid.framesPerBar();
      int begin = (int) Math.round(Math.floor((from - grid.downbeat()) / bar) * bar + grid.downbeat());
      Mixer mixer = new Mixer(score, grid.rate(), rng, begin, BLOCK);
      for (int pos = begin; pos < to; ) {
        ctx.checkCancelled();
        if (pos < from) {
          int n = Math.min(BLOCK, from - pos);
          mixer.render(discard[0], discard[1], 0, n);
          pos += n;
        } else {
          int n = Math.min(BLOCK, to - pos);
          mixer.render(stereo[0], stereo[1], pos - from, n);
          pos += n;
          done += n;
          ctx.progress(done / (double) total, "render");
        }
      }
    }
    return out;
  }

  private static int frames(double seconds, int rate) {
    if (!(seconds >= 0)) throw new IllegalArgumentException("duration must be a non-negative number of seconds");
    return Math.toIntExact(Math.round(seconds * rate));
  }
}
