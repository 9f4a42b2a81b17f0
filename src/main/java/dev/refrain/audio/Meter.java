package dev.refrain.audio;

/**
 * Beats per bar (3 or 4) and which beat starts a bar, from how onset strength at the beats repeats.
 * Each beat's accent is the peak log power around it (kicks and accented notes are louder). Triple metre shows as accents that correlate at a lag of three beats but not of two or
 * four; anything else, including no clear accents, is taken as four. The bar starts at the
 * position in the bar whose mean accent is strongest.
 */
final class Meter {
  /** Three needs at least this accent correlation at lag 3, and this much more than at lag 2 or 4. */
  private static final double MIN_THREE = 0.3, THREE_OVER_FOUR = 0.2;

  /** Beats per bar, and the index (0 ≤ first < beatsPerBar) of the first beat that starts a bar. */
  record Bar(int beatsPerBar, int first) {}

  private Meter() {}

  static Bar estimate(Onsets onsets, double period, double phase) {
    int beats = (int) ((onsets.strength.length - 1 - phase) / period) + 1;
    if (beats < 8) return new Bar(4, 0);
    double[] accent = new double[beats];
    double mean = 0;
    for (int b = 0; b < beats; b++) {
      int at = (int) Math.round(phase + b * period);
      double a = Double.NEGATIVE_INFINITY;
      for (int i = Math.max(0, at - 2); i <= Math.min(onsets.strength.length - 1, at + 2); i++) {
        a = Math.max(a, onsets.level[i]);
      }
      accent[b] = a;
      mean += a;
    }
    mean /= beats;
    double r3 = correlation(accent, mean, 3), r24 = Math.max(correlation(accent, mean, 2), correlation(accent, mean, 4));
    int m = r3 >= MIN_THREE && r3 >= r24 + THREE_OVER_FOUR ? 3 : 4;
    return new Bar(m, strongest(positions(accent, m)));
  }

  /** Autocorrelation of the mean-removed accents at lag, normalised by their variance. */
  private static double correlation(double[] a, double mean, int lag) {
    double num = 0, den = 0;
    for (int b = 0; b < a.length; b++) {
      den += (a[b] - mean) * (a[b] - mean);
      if (b + lag < a.length) num += (a[b] - mean) * (a[b + lag] - mean);
    }
    return den == 0 ? 0 : num / den * a.length / (a.length - lag);
  }

  private static double[] positions(double[] accent, int m) {
    double[] sum = new double[m];
    int[] count = new int[m];
    for (int b = 0; b < accent.length; b++) {
      sum[b % m] += accent[b];
      count[b % m]++;
    }
    for (int j = 0; j < m; j++) sum[j] /= Math.max(1, count[j]);
    return sum;
  }

  private static int strongest(double[] x) {
    int best = 0;
    for (int j = 1; j < x.length; j++) if (x[j] > x[best]) best = j;
    return best;
  }
}
