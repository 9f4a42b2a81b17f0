package dev.refrain.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * The bass line, one pitch per half beat of the grid: the lowest note between E1 (41 Hz) and B3
 * (247 Hz) that sounds there, judged by harmonic salience summed over the half beat's frames. A
 * candidate must have its own fundamental (a chord higher up makes "virtual" bass pitches whose
 * fundamental is silent) and come close to the strongest; runs of one pitch become one note.
 */
final class BassTrack {
  private static final int LOW = 28, HIGH = 59;
  /** A candidate lower than the strongest is taken when its salience reaches this share of it: the bass is the lowest voice. */
  private static final double CLOSE = 0.75;
  /** Its fundamental must reach this share of the half beat's strongest fundamental in the range. */
  private static final double OWN_FUNDAMENTAL = 0.35;
  /** Half beats whose best reaches under this share of the track's loud ones (90th percentile) have no bass. */
  private static final double VOICED = 0.25;
  private static final double SILENT_RMS = 0.002;

  private BassTrack() {}

  /** {@code firstBeat} and {@code beat} in seconds; {@code duration} of the clip. */
  static List<Analysis.Note> of(Salience s, double firstBeat, double beat, double duration) {
    int lo = LOW - Salience.LOWEST, hi = HIGH - Salience.LOWEST, range = hi - lo + 1;
    double half = beat / 2;
    double start = firstBeat - Math.ceil(firstBeat / half) * half;
    int slots = (int) Math.max(0, Math.ceil((duration - start) / half));
    int[] pitch = new int[slots];
    float[] strength = new float[slots];
    double[] sal = new double[range], fund = new double[range];
    for (int k = 0; k < slots; k++) {
      double t = start + k * half;
      int from = (int) Math.max(0, Math.ceil(t * s.frameRate)), to = (int) Math.min(s.frames, Math.ceil((t + half) * s.frameRate));
      java.util.Arrays.fill(sal, 0);
      java.util.Arrays.fill(fund, 0);
      double loudness = 0;
      for (int f = from; f < to; f++) {
        for (int n = 0; n < range; n++) {
          sal[n] += s.salience[f * Salience.NOTES + lo + n];
          fund[n] += s.fundamental[f * Salience.NOTES + lo + n];
        }
        loudness = Math.max(loudness, s.rms[f]);
      }
      int strongest = 0;
      double topFund = 0;
      for (int n = 0; n < range; n++) {
        if (sal[n] > sal[strongest]) strongest = n;
        topFund = Math.max(topFund, fund[n]);
      }
      int chosen = -1;
      for (int n = 0; n < range && chosen < 0; n++) {
        if (sal[n] >= CLOSE * sal[strongest] && fund[n] >= OWN_FUNDAMENTAL * topFund && topFund > 0) chosen = n;
      }
      pitch[k] = loudness >= SILENT_RMS && chosen >= 0 ? Salience.midi(lo + chosen) : -1;
      strength[k] = chosen >= 0 ? (float) (sal[chosen] / Math.max(1, to - from)) : 0;
    }
    double loud = MelodyTrack.percentile(strength, 0.9);
    List<Analysis.Note> notes = new ArrayList<>();
    for (int k = 0; k < slots; ) {
      int j = k;
      while (j < slots && pitch[j] == pitch[k]) j++;
      boolean voiced = false;
      for (int m = k; m < j; m++) voiced |= strength[m] >= VOICED * loud;
      if (pitch[k] > 0 && voiced) {
        double from = Math.max(0, start + k * half);
        notes.add(new Analysis.Note(from, start + j * half - from, pitch[k]));
      }
      k = j;
    }
    return notes;
  }
}
