package dev.refrain.audio;

/**
 * Lookahead true-peak limiter, streaming, one gain for all channels. Output is input delayed by
 * {@link #latency()} and scaled; {@link #process} and {@link #drain} hand it back already
 * realigned, so the output has exactly the input's length and timing.
 *
 * <p>Each interval between samples gets a target gain from its ×4 oversampled peak (the same
 * kernel as {@link TruePeak}, so never laxer). The gain at a sample is the smallest target of every
 * interval whose interpolation window it lies in, or whose peak lies within the attack ahead; a
 * one-pole release lets it recover, and a box average over the attack turns steps down into ramps
 * that still reach each target by the time its peak plays. Under the ceiling the gain is exactly 1.
 */
public final class Limiter {
  private static final double ATTACK_S = 0.002, RELEASE_S = 0.08;
  /** Limiting aims this much under the ceiling, for the interpolation error of a gain that moves within a window. */
  private static final double MARGIN = StrictMath.pow(10, -0.02 / 20);
  private static final int HALF = Interpolator.HALF, TAPS = Interpolator.TAPS;
  /** Frames per detection pass; intervals checked together against the ceiling before spending the filter. */
  private static final int CHUNK = 1024, SPAN = 64;

  private final Interpolator interp = new Interpolator(4);
  private final int channels, attack, latency, delayMask;
  private final double ceiling, release;
  /** Per channel: the last TAPS - 1 input frames, then the frames of the current pass. */
  private final float[][] work;
  private final double[] target = new double[CHUNK];
  private final float[] peak = new float[SPAN], between = new float[SPAN], scratch = new float[SPAN];
  /** Input awaiting output, per channel, indexed by frame modulo its (power of two) size. */
  private final float[][] delay;
  private final float[][] silence;
  // Sliding minimum of targets: a monotonic queue of (interval, target).
  private final long[] minAt;
  private final double[] minGain;
  private final int minMask;
  private int minHead, minSize;
  // Box average of the released gain over the attack.
  private final double[] box;
  private double boxSum;
  private int boxBelowOne, boxAt;
  private double released = 1;
  private long pos; // index of the next input frame; starts negative so the pipeline is primed with silence

  public Limiter(int sampleRate, int channels, double ceilingDbtp) {
    if (sampleRate <= 0 || channels <= 0) throw new IllegalArgumentException("sampleRate and channels must be positive");
    this.channels = channels;
    ceiling = StrictMath.pow(10, ceilingDbtp / 20);
    attack = Math.max(2, (int) Math.round(ATTACK_S * sampleRate));
    release = 1 - StrictMath.exp(-1 / (RELEASE_S * sampleRate));
    // Interval k is known once x[k + HALF] is in; sample m needs every interval up to m + attack + HALF - 2.
    latency = attack + 2 * HALF - 2;
    delayMask = Integer.highestOneBit(latency) * 2 - 1;
    delay = new float[channels][delayMask + 1];
    work = new float[channels][TAPS - 1 + CHUNK];
    silence = new float[channels][CHUNK];
    int window = attack + 2 * HALF - 1;
    minMask = Integer.highestOneBit(window) * 2 - 1; // room for window + 1 entries
    minAt = new long[minMask + 1];
    minGain = new double[minMask + 1];
    box = new double[attack];
    java.util.Arrays.fill(box, 1);
    boxSum = attack;
    pos = -(latency + attack + TAPS);
    while (pos < 0) pass(silence, 0, (int) Math.min(CHUNK, -pos), null, 0);
  }

  public int latency() {
    return latency;
  }

  /** Takes count input frames; writes the output frames now ready to out from outOffset and returns their number. */
  public int process(float[][] in, int inOffset, int count, float[][] out, int outOffset) {
    int written = 0;
    for (int at = 0; at < count; at += CHUNK) {
      written += pass(in, inOffset + at, Math.min(CHUNK, count - at), out, outOffset + written);
    }
    return written;
  }

  /** At end of input: writes the frames still held back (the lookahead) and returns their number. */
  public int drain(float[][] out, int outOffset) {
    int written = 0;
    for (int left = latency; left > 0; left -= CHUNK) {
      written += pass(silence, 0, Math.min(CHUNK, left), out, outOffset + written);
    }
    return written;
  }

  /** Takes n ≤ CHUNK frames; writes those output frames that are real (index ≥ 0) and returns their number. */
  private int pass(float[][] in, int inOffset, int n, float[][] out, int outOffset) {
    int keep = TAPS - 1;
    for (int c = 0; c < channels; c++) System.arraycopy(in[c], inOffset, work[c], keep, n);
    targets(n);
    int written = 0;
    for (int w = 0; w < n; w++) {
      long i = pos++;
      int d = (int) (i & delayMask);
      for (int c = 0; c < channels; c++) delay[c][d] = work[c][keep + w];
      pushTarget(i - HALF, target[w]); // the interval whose window ends at sample i

      long m = i - latency;
      while (minAt[minHead] < m - HALF) popFront();
      released = Math.min(minGain[minHead], released + (1 - released) * release);
      if (released > 1 - 1e-9) released = 1; // recover fully instead of creeping forever
      int b = boxAt;
      boxAt = b + 1 == attack ? 0 : b + 1;
      if (box[b] < 1) boxBelowOne--;
      if (released < 1) boxBelowOne++;
      boxSum += released - box[b];
      box[b] = released;
      if (boxBelowOne == 0) boxSum = attack; // drop rounding drift whenever the window is all ones
      if (m < 0) continue;
      double gain = boxBelowOne == 0 ? 1 : boxSum / attack;
      int r = (int) (m & delayMask);
      for (int c = 0; c < channels; c++) out[c][outOffset + written] = (float) (gain * delay[c][r]);
      written++;
    }
    for (int c = 0; c < channels; c++) System.arraycopy(work[c], n, work[c], 0, keep);
    return written;
  }

  /**
   * target[w] for the n intervals of this pass (interval w's window is work[c][w .. w + TAPS)): the
   * gain that brings its oversampled peak, own sample included, to the ceiling, or 1. Spans whose
   * samples cannot reach the ceiling through the filter skip it.
   */
  private void targets(int n) {
    for (int a = 0; a < n; a += SPAN) {
      int len = Math.min(SPAN, n - a);
      float max = 0;
      for (float[] x : work) {
        for (int i = a; i < a + len + TAPS - 1; i++) max = Math.max(max, Math.abs(x[i]));
      }
      if (max * interp.gainBound <= ceiling) {
        java.util.Arrays.fill(target, a, a + len, 1);
        continue;
      }
      java.util.Arrays.fill(peak, 0, len, 0f);
      for (float[] x : work) {
        interp.peaks(x, a, len, between, scratch);
        for (int w = 0; w < len; w++) peak[w] = Math.max(peak[w], Math.max(between[w], Math.abs(x[a + w + HALF - 1])));
      }
      for (int w = 0; w < len; w++) target[a + w] = peak[w] > ceiling ? ceiling * MARGIN / peak[w] : 1;
    }
  }

  private void pushTarget(long k, double target) {
    while (minSize > 0 && minGain[index(minSize - 1)] >= target) minSize--;
    int slot = index(minSize++);
    minAt[slot] = k;
    minGain[slot] = target;
  }

  private void popFront() {
    minHead = (minHead + 1) & minMask;
    minSize--;
  }

  private int index(int n) {
    return (minHead + n) & minMask;
  }
}
