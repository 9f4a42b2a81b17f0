package dev.refrain.audio;

/**
 * True peak per ITU-R BS.1770-4 Annex 2, streaming: the largest |value| of the signal oversampled
 * ×4 below 96 kHz (×2 below 192 kHz, sample peak above), as if zeros preceded and followed it.
 */
public final class TruePeak {
  private static final int CHUNK = 4096;
  /** Intervals checked together against the running peak before spending the filter on them. */
  private static final int SPAN = 64;

  private final Interpolator interp;
  private final float[][] history; // last TAPS - 1 samples per channel
  private final float[] work = new float[Interpolator.TAPS - 1 + CHUNK];
  private final double[] peak;
  private final float[] between = new float[SPAN], scratch = new float[SPAN];

  public TruePeak(int sampleRate, int channels) {
    if (sampleRate <= 0 || channels <= 0) throw new IllegalArgumentException("sampleRate and channels must be positive");
    interp = new Interpolator(Interpolator.factorFor(sampleRate));
    history = new float[channels][Interpolator.TAPS - 1];
    peak = new double[channels];
  }

  /** Frames [offset, offset + count) of every channel. */
  public void add(float[][] planar, int offset, int count) {
    int keep = Interpolator.TAPS - 1;
    for (int c = 0; c < history.length; c++) {
      float[] h = history[c];
      for (int at = 0; at < count; at += CHUNK) {
        int n = Math.min(CHUNK, count - at);
        System.arraycopy(h, 0, work, 0, keep);
        System.arraycopy(planar[c], offset + at, work, keep, n);
        peak[c] = scan(work, n, peak[c]);
        System.arraycopy(work, n, h, 0, keep);
      }
    }
  }

  /** Max over channels so far, in dBTP; −Infinity for silence. */
  public double dbtp() {
    double max = 0;
    float[] tail = new float[2 * Interpolator.TAPS - 2];
    for (int c = 0; c < history.length; c++) {
      // The intervals after the last sample still ring with it; zeros follow the signal.
      System.arraycopy(history[c], 0, tail, 0, Interpolator.TAPS - 1);
      max = Math.max(max, scan(tail, Interpolator.TAPS - 1, peak[c]));
    }
    return 20 * StrictMath.log10(max);
  }

  public static double of(AudioClip clip) {
    TruePeak tp = new TruePeak(clip.sampleRate(), clip.channelCount());
    tp.add(clip.channels(), 0, clip.frames());
    return tp.dbtp();
  }

  /**
   * The peak of the n intervals whose windows lie in x[0 .. n + TAPS - 1), and of their samples,
   * raised from {@code peak}. Spans that cannot beat {@code peak} skip the filter.
   */
  private double scan(float[] x, int n, double peak) {
    int lag = Interpolator.HALF - 1; // x index of interval w's own sample
    for (int a = 0; a < n; a += SPAN) {
      int b = Math.min(n, a + SPAN);
      float max = 0;
      for (int i = a; i < b + Interpolator.TAPS - 1; i++) max = Math.max(max, Math.abs(x[i]));
      for (int w = a; w < b; w++) peak = Math.max(peak, Math.abs(x[w + lag]));
      if (max * interp.gainBound <= peak) continue;
      interp.peaks(x, a, b - a, between, scratch);
      for (int w = 0; w < b - a; w++) peak = Math.max(peak, between[w]);
    }
    return peak;
  }
}
