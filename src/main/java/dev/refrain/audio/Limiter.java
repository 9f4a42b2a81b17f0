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
  private static final double MARGIN = Math.pow(10, -0.02 / 20);
  private static final int HALF = Interpolator.HALF, TAPS = Interpolator.TAPS;

  private final Interpolator interp = new Interpolator(4);
  private final int channels, attack, latency, ringMask;
  private final double ceiling, loud, release;
  /** Input history per channel, written twice (at i and i + ring size) so any window reads contiguously. */
  private final float[][] ring;
  // Sliding minimum of targets: a monotonic queue of (interval, target).
  private final long[] minAt;
  private final double[] minGain;
  private int minHead, minSize;
  // Box average of the released gain over the attack.
  private final double[] box;
  private double boxSum;
  private int boxBelowOne;
  private double released = 1;
  private long pos; // index of the next input frame; starts negative so the pipeline is primed with silence
  private long lastLoud = Long.MIN_VALUE / 2;

  public Limiter(int sampleRate, int channels, double ceilingDbtp) {
    if (sampleRate <= 0 || channels <= 0) throw new IllegalArgumentException("sampleRate and channels must be positive");
    this.channels = channels;
    ceiling = Math.pow(10, ceilingDbtp / 20);
    loud = ceiling / interp.gainBound;
    attack = Math.max(2, (int) Math.round(ATTACK_S * sampleRate));
    release = 1 - Math.exp(-1 / (RELEASE_S * sampleRate));
    // Interval k is known once x[k + HALF] is in; sample m needs every interval up to m + attack + HALF - 2.
    latency = attack + 2 * HALF - 2;
    int size = Integer.highestOneBit(latency + TAPS) * 2;
    ringMask = size - 1;
    ring = new float[channels][2 * size];
    int window = attack + 2 * HALF - 1;
    minAt = new long[window + 1];
    minGain = new double[window + 1];
    box = new double[attack];
    java.util.Arrays.fill(box, 1);
    boxSum = attack;
    pos = -(latency + attack + TAPS);
    float[][] none = new float[channels][0];
    while (pos < 0) step(null, 0, none, 0);
  }

  public int latency() {
    return latency;
  }

  /** Takes count input frames; writes the output frames now ready to out from outOffset and returns their number. */
  public int process(float[][] in, int inOffset, int count, float[][] out, int outOffset) {
    int written = 0;
    for (int i = 0; i < count; i++) {
      if (step(in, inOffset + i, out, outOffset + written)) written++;
    }
    return written;
  }

  /** At end of input: writes the frames still held back (the lookahead) and returns their number. */
  public int drain(float[][] out, int outOffset) {
    int written = 0;
    long end = pos;
    while (pos - latency < end) {
      if (step(null, 0, out, outOffset + written)) written++;
    }
    return written;
  }

  /** Takes one frame (silence when in is null); writes the frame latency behind it if that is real; says whether it did. */
  private boolean step(float[][] in, int at, float[][] out, int outAt) {
    long i = pos++;
    int w = (int) (i & ringMask);
    for (int c = 0; c < channels; c++) {
      float v = in == null ? 0 : in[c][at];
      ring[c][w] = v;
      ring[c][w + ringMask + 1] = v;
      if (Math.abs(v) > loud) lastLoud = i;
    }
    long k = i - HALF; // the interval whose window x[k - HALF + 1 .. k + HALF] is now complete
    double target = 1;
    if (lastLoud > i - TAPS) {
      int start = (int) ((k - HALF + 1) & ringMask);
      double peak = 0;
      for (int c = 0; c < channels; c++) {
        peak = Math.max(peak, Math.max(Math.abs(ring[c][start + HALF - 1]), interp.peakBetween(ring[c], start)));
      }
      if (peak > ceiling) target = ceiling * MARGIN / peak;
    }
    pushTarget(k, target);

    long m = i - latency;
    while (minAt[minHead] < m - HALF) popFront();
    double held = minGain[minHead];
    released = Math.min(held, released + (1 - released) * release);
    if (released > 1 - 1e-9) released = 1; // recover fully instead of creeping forever
    int b = (int) Math.floorMod(m, (long) attack);
    if (box[b] < 1) boxBelowOne--;
    if (released < 1) boxBelowOne++;
    boxSum += released - box[b];
    box[b] = released;
    if (boxBelowOne == 0) boxSum = attack; // drop rounding drift whenever the window is all ones
    if (m < 0) return false;
    double gain = boxBelowOne == 0 ? 1 : boxSum / attack;
    int r = (int) (m & ringMask);
    for (int c = 0; c < channels; c++) out[c][outAt] = (float) (gain * ring[c][r]);
    return true;
  }

  private void pushTarget(long k, double target) {
    while (minSize > 0 && minGain[index(minSize - 1)] >= target) minSize--;
    int slot = index(minSize++);
    minAt[slot] = k;
    minGain[slot] = target;
  }

  private void popFront() {
    minHead = (minHead + 1) % minAt.length;
    minSize--;
  }

  private int index(int n) {
    return (minHead + n) % minAt.length;
  }
}
