package dev.refrain.engine.preview;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.Limiter;
import dev.refrain.audio.PcmStream;
import java.util.List;

/**
 * The finished output, read block by block: rendered spans come back from the spill through the
 * master bus (one gain to the loudness target, then a true-peak limiter), and for extend the
 * source's own samples sit between them untouched, each join made continuous (see {@link Join}).
 */
final class Mastered implements PcmStream {
  private static final int BLOCK = 8192;

  /** A stretch of the output, in order. */
  sealed interface Piece {
    int frames();
  }

  /**
   * Rendered frames [spillAt, spillAt + frames) of the spill at {@code gain}, optionally joining the
   * source at one end.
   */
  record Rendered(long spillAt, int frames, double gain, Join join) implements Piece {
    Rendered withGain(double gain) {
      return new Rendered(spillAt, frames, gain, join);
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
   * Where a rendered piece meets the untouched source: at its end ({@code atEnd}, the source
   * follows) or its start. The piece is rendered faded to silence over its {@code frames} frames
   * nearest the join, and the master bus adds the source's sample there ({@code edge}, one value
   * per output channel) under the complementary ramp: the piece's last (or first) frame is the
   * source's own edge value, so the join steps no further than the source itself does from sample
   * to sample, and within the ramp the two are blended, neither added at full level to the other.
   */
  record Join(float[] edge, int frames, boolean atEnd) {}

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
  /** Frames of the current rendered piece handed out. */
  private int placed;
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
        Rendered r = (Rendered) p;
        int n = Math.min(count, readyEnd - readyAt);
        place(out, offset, n);
        if (r.join() != null) join(r, out, offset, n);
        readyAt += n;
        placed += n;
        delivered += n;
        return n;
      }
      piece++;
      done = 0;
      placed = 0;
      limiter = null;
      drained = false;
    }
    return 0;
  }

  /** Runs the next block of a rendered piece through gain and limiter; false once it is all out. */
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
      readyEnd = limiter.process(in, 0, n, ready, 0);
      done += n;
    }
    return true;
  }

  /** Adds the source's edge under its ramp to the output frames [offset, offset + n), the piece's frames from {@link #placed}. */
  private void join(Rendered r, float[][] out, int offset, int n) {
    Join j = r.join();
    int rampFrom = j.atEnd() ? r.frames() - j.frames() : 0;
    int from = Math.max(placed, rampFrom);
    int to = Math.min(placed + n, rampFrom + j.frames());
    for (int k = from; k < to; k++) {
      // The render's linear fade (see PreviewEngine) leaves 1 - w of the piece; w reaches 1 at the join.
      float w = j.atEnd() ? (k - rampFrom + 1) / (float) j.frames() : 1 - k / (float) j.frames();
      for (int c = 0; c < channels; c++) out[c][offset + k - placed] += w * j.edge()[Math.min(c, j.edge().length - 1)];
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
