package dev.refrain.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Section boundaries from novelty (Foote): beat-synchronous features (chroma, loudness, spectral
 * shape), their pairwise distances near the diagonal of the self-similarity matrix, and a
 * Gaussian-tapered checkerboard kernel slid along it. A boundary scores high where the beats
 * before are alike, the beats after are alike, and the two sides differ. Only the band of the
 * matrix the kernel touches is built, so memory stays linear in the number of beats.
 */
final class Novelty {
  private static final double KERNEL_S = 6, MIN_GAP_S = 8;
  /** A peak must reach this share of the strongest one, and this many mean distances, to count. */
  private static final double RELATIVE = 0.35, ABSOLUTE = 0.25;
  private static final int DIMS = 12 + 1 + Chroma.SHAPE_BANDS;

  private Novelty() {}

  /** Section starts in seconds, ascending, beginning with 0.0, on the beat grid first + k × beat. */
  static List<Double> sections(Chroma ch, int rate, double first, double beat, double duration) {
    List<Double> starts = new ArrayList<>(List.of(0.0));
    int beats = (int) Math.floor((duration - first) / beat);
    int k = Math.max(2, (int) Math.round(KERNEL_S / beat));
    if (beats < 2 * k || duration < 2 * MIN_GAP_S) return starts;

    float[] f = features(ch, rate, first, beat, beats);
    int band = 2 * k;
    float[] dist = new float[beats * band]; // dist[i * band + o] = distance(i, i + o)
    double meanDist = 0;
    int pairs = 0;
    for (int i = 0; i < beats; i++) {
      for (int o = 1; o < band && i + o < beats; o++) {
        double d = 0;
        for (int j = 0; j < DIMS; j++) {
          double v = f[i * DIMS + j] - f[(i + o) * DIMS + j];
          d += v * v;
        }
        dist[i * band + o] = (float) Math.sqrt(d);
        meanDist += dist[i * band + o];
        pairs++;
      }
    }
    meanDist /= Math.max(1, pairs);
    if (meanDist == 0) return starts;

    // Checkerboard weights: + across the boundary, − on either side; Gaussian taper from the centre.
    double[] taper = new double[band];
    for (int a = 0; a < band; a++) {
      double x = (a - k + 0.5) / (k / 2.0);
      taper[a] = StrictMath.exp(-0.5 * x * x);
    }
    double[] novelty = new double[beats];
    for (int i = 1; i < beats; i++) {
      double sum = 0, norm = 0;
      for (int a = 0; a < band; a++) {
        int p = i - k + a;
        if (p < 0 || p >= beats) continue;
        for (int b = a + 1; b < band; b++) {
          int q = i - k + b;
          if (q >= beats) break;
          double w = taper[a] * taper[b];
          sum += ((a < k) != (b < k) ? w : -w) * dist[p * band + (q - p)];
          norm += w;
        }
      }
      novelty[i] = norm == 0 ? 0 : sum / norm / meanDist;
    }

    double max = 0;
    for (double v : novelty) max = Math.max(max, v);
    int gap = (int) Math.ceil(MIN_GAP_S / beat);
    List<Integer> peaks = new ArrayList<>();
    for (int i = 1; i < beats; i++) {
      double t = first + i * beat;
      if (t < MIN_GAP_S || t > duration - MIN_GAP_S || novelty[i] < RELATIVE * max || novelty[i] < ABSOLUTE) continue;
      if (isLocalMax(novelty, i, 2)) peaks.add(i);
    }
    peaks.sort((x, y) -> Double.compare(novelty[y], novelty[x]));
    List<Integer> chosen = new ArrayList<>();
    for (int p : peaks) {
      boolean clear = true;
      for (int c : chosen) clear &= Math.abs(c - p) >= gap;
      if (clear) chosen.add(p);
    }
    chosen.sort(null);
    for (int c : chosen) starts.add(first + c * beat);
    return starts;
  }

  private static boolean isLocalMax(double[] x, int i, int reach) {
    for (int j = Math.max(0, i - reach); j <= Math.min(x.length - 1, i + reach); j++) {
      if (x[j] > x[i] || (x[j] == x[i] && j < i)) return false;
    }
    return true;
  }

  /**
   * Per beat: mean chroma (12), level (1) and shape relative to level (SHAPE_BANDS), each dimension
   * standardised over the track, then each group scaled to weigh the same in a distance.
   */
  private static float[] features(Chroma ch, int rate, double first, double beat, int beats) {
    float[] f = new float[beats * DIMS];
    int[] count = new int[beats];
    double frameS = (double) ch.hop / rate;
    for (int n = 0; n < ch.frames; n++) {
      int b = (int) Math.floor((n * frameS - first) / beat);
      if (b < 0 || b >= beats) continue;
      count[b]++;
      int o = b * DIMS;
      for (int c = 0; c < 12; c++) f[o + c] += ch.chroma[n * 12 + c];
      f[o + 12] += ch.level[n];
      double mean = 0;
      for (int s = 0; s < Chroma.SHAPE_BANDS; s++) mean += ch.shape[n * Chroma.SHAPE_BANDS + s];
      mean /= Chroma.SHAPE_BANDS;
      for (int s = 0; s < Chroma.SHAPE_BANDS; s++) f[o + 13 + s] += (float) (ch.shape[n * Chroma.SHAPE_BANDS + s] - mean);
    }
    for (int b = 0; b < beats; b++) {
      for (int j = 0; j < DIMS; j++) f[b * DIMS + j] /= Math.max(1, count[b]);
    }
    for (int j = 0; j < DIMS; j++) {
      double mean = 0, var = 0;
      for (int b = 0; b < beats; b++) mean += f[b * DIMS + j];
      mean /= beats;
      for (int b = 0; b < beats; b++) var += StrictMath.pow(f[b * DIMS + j] - mean, 2);
      double sd = Math.sqrt(var / beats);
      double group = j < 12 ? 12 : j == 12 ? 1 : Chroma.SHAPE_BANDS;
      double scale = sd < 1e-9 ? 0 : 1 / (sd * Math.sqrt(group));
      for (int b = 0; b < beats; b++) f[b * DIMS + j] = (float) ((f[b * DIMS + j] - mean) * scale);
    }
    return f;
  }
}
