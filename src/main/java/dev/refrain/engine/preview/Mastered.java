package dev.refrain.engine.preview;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.Limiter;
import dev.refrain.audio.PcmStream;
import java.util.List;

/**
 * The finished output, read block by block: rendered spans come back from the spill through the
 * master bus (one gain to the loudness target, then a true-peak limiter), and for extend the
 * source's own samples sit between them untouched.
 */
final class Mastered implements PcmStream {
  private static final int BLOCK = 8192;

  /** A stretch of the output, in order. */
  sealed interface Piece {
    int frames();
  }

  /**
   * Rendered frames [spillAt, spillAt + frames) of the spill at {@code gain}, with optionally some of
   * the source crossfaded in after the gain (it keeps its own level).
   */
  record Rendered(long spillAt, int frames, double gain, Crossfade crossfade) implements Piece {
    Rendered withGain(double gain) {
      return new Rendered(spillAt, frames, gain, crossfade);
    }
  }

  /** The source itself, every sample as it is. */
  record Original(AudioClip clip) implements Piece {
    @Override
    public int frames() {
      return clip.frames();
    }
  }

  /**
   * Source frames [from, from + frames) added at frame {@code at} of a rendered piece under an
   * equal-power fade, rising (fading in) or not (fading out).
   */
  record Crossfade(AudioClip clip, int from, int at, int frames, boolean rising) {}

  private final int rate;
  private final int channels;
  private final List<Piece> pieces;
  private final double ceilingDbtp;
  private final Spill spill;
  private final int total;
  private final float[][] in = new float[2][BLOCK];
  private final float[][] ready;
  private Limiter limiter;
  private boolean drained;
  private int piece;
  /** Frames of the current piece fed in (rendered) or handed out (original). */
  private int done;
  private int readyAt;
  private int readyEnd;
  private int delivered;

  Mastered(int rate, int channels, List<Piece> pieces, Spill spill, double ceilingDbtp) {
    this.rate = rate;
    this.channels = channels;
    this.pieces = List.copyOf(pieces);
    this.spill = spill;
    this.ceilingDbtp = ceilingDbtp;
    this.total = pieces.stream().mapToInt(Piece::frames).sum();
    this.ready = new float[2][BLOCK + rate]; // room for one block plus any limiter lookahead
  }

  @Override
  public int sampleRate() {
    return rate;
  }

  @Override
  public int channelCount() {
    return channels;
  }

  @Override
  public int frames() {
    return total;
  }

  @Override
  public int read(float[][] out, int offset, int count) {
    while (delivered < total) {
      Piece p = pieces.get(piece);
      if (p instanceof Original o) {
        if (done < o.frames()) {
          int n = Math.min(count, o.frames() - done);
          for (int c = 0; c < channels; c++) System.arraycopy(o.clip().channels()[c], done, out[c], offset, n);
          done += n;
          delivered += n;
          return n;
        }
      } else if (readyAt < readyEnd || refill((Rendered) p)) {
        int n = Math.min(count, readyEnd - readyAt);
        place(out, offset, n);
        readyAt += n;
        delivered += n;
        return n;
      }
      piece++;
      done = 0;
      limiter = null;
      drained = false;
    }
    return 0;
  }

  /** Runs the next block of a rendered piece through gain, crossfade and limiter; false once it is all out. */
  private boolean refill(Rendered r) {
    if (drained) return false;
    if (limiter == null) limiter = new Limiter(rate, 2, ceilingDbtp);
    readyAt = 0;
    readyEnd = 0;
    while (readyEnd == 0) {
      if (done == r.frames()) {
        readyEnd = limiter.drain(ready, 0);
        drained = true;
        return readyEnd > 0;
      }
      int n = Math.min(BLOCK, r.frames() - done);
      spill.read(r.spillAt() + done, in[0], in[1], 0, n);
      float gain = (float) r.gain();
      for (float[] c : in) {
        for (int i = 0; i < n; i++) c[i] *= gain;
      }
      if (r.crossfade() != null) crossfade(r.crossfade(), done, n);
      readyEnd = limiter.process(in, 0, n, ready, 0);
      done += n;
    }
    return true;
  }

  private void crossfade(Crossfade x, int at, int n) {
    int from = Math.max(at, x.at());
    int to = Math.min(at + n, x.at() + x.frames());
    float[][] src = x.clip().channels();
    for (int i = from; i < to; i++) {
      double t = (i - x.at() + 0.5) / x.frames();
      float w = (float) StrictMath.sin(StrictMath.PI / 2 * (x.rising() ? t : 1 - t));
      int s = x.from() + i - x.at();
      for (int c = 0; c < 2; c++) {
        in[c][i - at] += w * src[Math.min(c, src.length - 1)][s];
      }
    }
  }

  /** Stereo out to the output's channels: mono gets the mid, channels past two get the mid too. */
  private void place(float[][] out, int offset, int n) {
    for (int c = 0; c < channels; c++) {
      if (channels > 1 && c < 2) {
        System.arraycopy(ready[c], readyAt, out[c], offset, n);
      } else {
        for (int i = 0; i < n; i++) out[c][offset + i] = 0.5f * (ready[0][readyAt + i] + ready[1][readyAt + i]);
      }
    }
  }

  @Override
  public void close() {
    spill.close();
  }
}
