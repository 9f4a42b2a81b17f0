package dev.refrain.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * The chord of each bar, from the pitch-class profile summed over the bar: the major or minor triad
 * whose notes hold most of it. The root is weighed a little above the third and fifth, so a triad is
 * not taken for its relative (C major and A minor share two notes). Silent bars have none.
 */
final class ChordTrack {
  private static final double ROOT_WEIGHT = 1.2;

  private ChordTrack() {}

  /** One chord per bar that sounds, each from its bar's start (0 for a bar begun before the clip). */
  static List<Analysis.BarChord> of(Chroma chroma, int rate, double downbeat, double barSeconds, double duration) {
    List<Analysis.BarChord> out = new ArrayList<>();
    double frameSeconds = chroma.hop / (double) rate;
    double start = downbeat - Math.ceil(downbeat / barSeconds) * barSeconds;
    for (double t = start; t < duration; t += barSeconds) {
      double[] profile = new double[12];
      int from = (int) Math.max(0, Math.ceil(t / frameSeconds));
      int to = (int) Math.min(chroma.frames, Math.ceil((t + barSeconds) / frameSeconds));
      for (int n = from; n < to; n++) {
        for (int c = 0; c < 12; c++) profile[c] += chroma.chroma[n * 12 + c];
      }
      double total = 0;
      for (double v : profile) total += v;
      if (total <= 0) continue;
      int bestRoot = 0;
      boolean bestMinor = false;
      double best = -1;
      for (int root = 0; root < 12; root++) {
        for (boolean minor : new boolean[] {false, true}) {
          double score = ROOT_WEIGHT * profile[root] + profile[(root + (minor ? 3 : 4)) % 12] + profile[(root + 7) % 12];
          if (score > best) {
            best = score;
            bestRoot = root;
            bestMinor = minor;
          }
        }
      }
      float[] shares = new float[12];
      for (int c = 0; c < 12; c++) shares[c] = (float) (profile[c] / total);
      out.add(new Analysis.BarChord(Math.max(0, t), bestRoot, bestMinor, shares));
    }
    return out;
  }
}
