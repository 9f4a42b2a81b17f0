package dev.refrain.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The predominant melody: in each frame the most salient pitch between about 150 Hz and 1 kHz
 * (where voices and lead instruments sing), kept where it stands out (voicing), smoothed over three
 * frames so a blip does not split a note, then cut into notes where the pitch changes.
 */
final class MelodyTrack {
  /** D#3 (156 Hz) to B5 (988 Hz). */
  private static final int LOW = 51, HIGH = 83;
  /**
   * A frame is voiced when its best candidate reaches this share of the track's loud frames' (the
   * 90th percentile): quieter ones are accompaniment, reverb tails or silence.
   */
  private static final double VOICED = 0.3;
  /**
   * And when that candidate stands this far above the range's median candidate: a harmonic tone
   * peaks, noise (whose salience is flat across candidates) does not.
   */
  private static final double PEAKINESS = 3;
  /** Frames with an RMS under this (about −54 dBFS) are silent. */
  private static final double SILENT_RMS = 0.002;
  /** The shortest note kept, in frames (about 90 ms at 22 kHz). */
  private static final int SHORTEST = 2;

  private MelodyTrack() {}

  static List<Analysis.Note> of(Salience s) {
    int lo = LOW - Salience.LOWEST, hi = HIGH - Salience.LOWEST, range = hi - lo + 1;
    int[] pitch = new int[s.frames];
    float[] best = new float[s.frames];
    float[] sorted = new float[range];
    for (int f = 0; f < s.frames; f++) {
      int at = f * Salience.NOTES;
      int arg = lo;
      for (int n = lo; n <= hi; n++) {
        sorted[n - lo] = s.salience[at + n];
        if (s.salience[at + n] > s.salience[at + arg]) arg = n;
      }
      Arrays.sort(sorted);
      double median = sorted[range / 2];
      best[f] = s.salience[at + arg];
      pitch[f] = s.rms[f] >= SILENT_RMS && best[f] >= PEAKINESS * median ? Salience.midi(arg) : -1;
    }
    double loud = percentile(best, 0.9);
    for (int f = 0; f < s.frames; f++) {
      if (best[f] < VOICED * loud) pitch[f] = -1;
    }
    int[] smooth = new int[s.frames];
    for (int f = 0; f < s.frames; f++) {
      int a = pitch[Math.max(0, f - 1)], b = pitch[f], c = pitch[Math.min(s.frames - 1, f + 1)];
      smooth[f] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
    List<Analysis.Note> notes = new ArrayList<>();
    for (int f = 0; f < s.frames; ) {
      int g = f;
      while (g < s.frames && smooth[g] == smooth[f]) g++;
      if (smooth[f] > 0 && g - f >= SHORTEST) {
        // Frame f is centred on f × hop: the note runs from half a hop before its first frame to half after its last.
        notes.add(new Analysis.Note(Math.max(0, (f - 0.5) / s.frameRate), (g - f) / s.frameRate, smooth[f]));
      }
      f = g;
    }
    return notes;
  }

  /** The value under which a share {@code q} of {@code x} lies. */
  static double percentile(float[] x, double q) {
    if (x.length == 0) return 0;
    float[] copy = x.clone();
    Arrays.sort(copy);
    return copy[Math.min(copy.length - 1, (int) (q * copy.length))];
  }
}
