package dev.refrain.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Tempo and beat phase from an onset envelope, assuming one steady tempo.
 *
 * <p>Autocorrelation gives a first period; the envelope's Fourier power summed over the first
 * harmonics of the beat rate then places it to a small fraction of a frame, since every beat of the
 * track votes. The octave is settled by a comb: among the candidate periods ×1/3 .. ×3 in range, the
 * fastest whose beats carry nearly as much onset strength as the strongest comb wins (off-beat hats
 * are too weak to double a tempo; a click on every other beat of a fast grid halves it).
 */
final class Tempo {
  static final double MIN_BPM = 58, MAX_BPM = 188;
  private static final int HARMONICS = 4;
  /** A faster grid wins when its comb keeps this share of the best comb's strength. */
  private static final double FASTER_SHARE = 0.8;

  /** Beat period and the position of a beat (frames from frame 0, 0 <= phase < period). */
  record Grid(double period, double phase) {}

  private Tempo() {}

  static Grid estimate(float[] envelope, double frameRate) {
    int n = envelope.length;
    double mean = 0;
    for (float v : envelope) mean += v;
    mean /= n;
    double[] e = new double[n];
    for (int i = 0; i < n; i++) e[i] = envelope[i] - mean;
    double minLag = frameRate * 60 / MAX_BPM, maxLag = frameRate * 60 / MIN_BPM;
    if (n < 4 * maxLag) return new Grid(frameRate * 60 / 120, 0); // too short to tell: a neutral grid

    double coarse = bestLag(autocorrelation(e), minLag, maxLag);
    double period = refine(e, coarse, 0.03, frameRate);
    double[] smooth = smooth(envelope);

    double best = Double.NEGATIVE_INFINITY;
    double[] candidates = {period / 3, period / 2, period, period * 2, period * 3};
    double[] strength = new double[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      boolean inRange = candidates[c] >= minLag && candidates[c] <= maxLag;
      strength[c] = inRange ? comb(smooth, candidates[c], bestPhase(smooth, candidates[c], 0.5)) - mean : Double.NEGATIVE_INFINITY;
      best = Math.max(best, strength[c]);
    }
    for (int c = 0; c < candidates.length; c++) {
      if (strength[c] >= FASTER_SHARE * best) {
        period = refine(e, candidates[c], 0.004, frameRate);
        break;
      }
    }
    return new Grid(period, bestPhase(smooth, period, 0.05));
  }

  private static double[] autocorrelation(double[] e) {
    int size = Integer.highestOneBit(2 * e.length - 1) * 2;
    double[] a = new double[size];
    System.arraycopy(e, 0, a, 0, e.length);
    DoubleFFT_1D fft = new DoubleFFT_1D(size);
    fft.realForward(a);
    a[0] *= a[0];
    a[1] *= a[1];
    for (int k = 1; k < size / 2; k++) {
      double re = a[2 * k], im = a[2 * k + 1];
      a[2 * k] = re * re + im * im;
      a[2 * k + 1] = 0;
    }
    fft.realInverse(a, true);
    return a;
  }

  /** The lag in range whose autocorrelation, plus half that at twice the lag, is largest. */
  private static double bestLag(double[] ac, double minLag, double maxLag) {
    int best = (int) Math.ceil(minLag);
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int lag = best; lag <= maxLag; lag++) {
      double score = ac[lag] + 0.5 * ac[2 * lag];
      if (score > bestScore) {
        bestScore = score;
        best = lag;
      }
    }
    return best;
  }

  /**
   * The period within ±span (relative) of guess where the envelope's power at the beat rate and its
   * first harmonics is largest: a grid search in steps of 0.05 BPM, then of 0.005 BPM.
   */
  private static double refine(double[] e, double guess, double span, double frameRate) {
    double bpm = frameRate * 60 / guess;
    for (double step : new double[] {0.05, 0.005}) {
      double from = bpm - (step == 0.05 ? span * bpm : 0.05), to = bpm + (step == 0.05 ? span * bpm : 0.05);
      double bestPower = -1;
      for (double b = from; b <= to; b += step) {
        double p = harmonicPower(e, frameRate * 60 / b);
        if (p > bestPower) {
          bestPower = p;
          bpm = b;
        }
      }
    }
    return frameRate * 60 / bpm;
  }

  /** Sum over h = 1..HARMONICS of |Σ e[n] exp(−2πi h n / period)|². */
  private static double harmonicPower(double[] e, double period) {
    double[] re = new double[HARMONICS], im = new double[HARMONICS];
    double stepRe = StrictMath.cos(2 * Math.PI / period), stepIm = -StrictMath.sin(2 * Math.PI / period);
    double wRe = 1, wIm = 0; // exp(−2πi n / period), advanced by rotation
    for (int n = 0; n < e.length; n++) {
      double hRe = wRe, hIm = wIm;
      for (int h = 0; h < HARMONICS; h++) {
        re[h] += e[n] * hRe;
        im[h] += e[n] * hIm;
        double t = hRe * wRe - hIm * wIm;
        hIm = hRe * wIm + hIm * wRe;
        hRe = t;
      }
      double t = wRe * stepRe - wIm * stepIm;
      wIm = wRe * stepIm + wIm * stepRe;
      wRe = t;
    }
    double p = 0;
    for (int h = 0; h < HARMONICS; h++) p += re[h] * re[h] + im[h] * im[h];
    return p;
  }

  /** The envelope with a small Gaussian blur (σ = 1 frame), so a comb between frames still sees its peaks. */
  private static double[] smooth(float[] x) {
    double[] k = {0.054, 0.242, 0.399, 0.242, 0.054};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = 0;
      for (int j = -2; j <= 2; j++) {
        int at = i + j;
        if (at >= 0 && at < x.length) s += k[j + 2] * x[at];
      }
      y[i] = s;
    }
    return y;
  }

  /** Mean envelope at phase, phase + period, … (linear interpolation). */
  static double comb(double[] x, double period, double phase) {
    double sum = 0;
    int count = 0;
    for (double t = phase; t < x.length - 1; t += period, count++) {
      int i = (int) t;
      double f = t - i;
      sum += x[i] + f * (x[i + 1] - x[i]);
    }
    return count == 0 ? 0 : sum / count;
  }

  /** The phase in [0, period), in steps of step frames, where the comb is strongest. */
  static double bestPhase(double[] x, double period, double step) {
    double best = 0, bestValue = Double.NEGATIVE_INFINITY;
    for (double p = 0; p < period; p += step) {
      double v = comb(x, period, p);
      if (v > bestValue) {
        bestValue = v;
        best = p;
      }
    }
    return best;
  }
}
