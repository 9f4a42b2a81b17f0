package dev.refrain.audio;

/** Key from a pitch-class profile: the best Pearson correlation with the 24 rotated Krumhansl–Kessler key profiles. */
final class KeyFinder {
  // Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
  private static final double[] MAJOR = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
  private static final double[] MINOR = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};

  record Key(int tonic, boolean minor, double confidence) {}

  private KeyFinder() {}

  static Key of(double[] chroma) {
    Key best = new Key(0, false, Double.NEGATIVE_INFINITY);
    for (int tonic = 0; tonic < 12; tonic++) {
      double major = correlation(chroma, MAJOR, tonic), minor = correlation(chroma, MINOR, tonic);
      if (major > best.confidence()) best = new Key(tonic, false, major);
      if (minor > best.confidence()) best = new Key(tonic, true, minor);
    }
    return best;
  }

  /** Pearson correlation of chroma with profile rotated so its first entry falls on tonic. */
  private static double correlation(double[] chroma, double[] profile, int tonic) {
    double mx = 0, my = 0;
    for (int i = 0; i < 12; i++) {
      mx += chroma[i];
      my += profile[i];
    }
    mx /= 12;
    my /= 12;
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < 12; i++) {
      double dx = chroma[(i + tonic) % 12] - mx, dy = profile[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxx == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
  }
}
