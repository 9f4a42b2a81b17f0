package dev.refrain.bench.preview;

import dev.refrain.audio.AudioClip;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre-echo of a lossy copy: the SNR just before a song's attacks. A transform coder spreads its
 * quantisation noise over its whole block, so a drum hit coded in a long block leaks noise into the
 * quiet up to 20 ms ahead of it, where nothing masks it; short blocks keep it close to the hit.
 */
final class PreEcho {
  private static final double FRAME_S = 0.0025;
  /** An attack: a frame at least this many times the mean energy of the 40 ms before it, and above the floor. */
  private static final double RISE = 16, FLOOR = 1e-4;
  private static final int HISTORY = 16, AHEAD = 8, GAP = 40;

  private PreEcho() {}

  /** Median over the source's attacks of the SNR (dB) of the copy in the 20 ms ahead of each; NaN with no attacks. */
  static double snrBeforeAttacks(AudioClip source, AudioClip copy) {
    int frame = (int) Math.round(FRAME_S * source.sampleRate());
    int frames = Math.min(source.frames(), copy.frames()) / frame;
    double[] energy = new double[frames];
    for (int f = 0; f < frames; f++) {
      for (float[] x : source.channels()) {
        for (int i = f * frame; i < (f + 1) * frame; i++) energy[f] += (double) x[i] * x[i];
      }
      energy[f] /= frame * source.channelCount();
    }
    List<Double> snrs = new ArrayList<>();
    int last = -GAP;
    for (int f = HISTORY; f < frames; f++) {
      double before = 0;
      for (int g = f - HISTORY; g < f; g++) before += energy[g];
      before /= HISTORY;
      if (energy[f] < FLOOR || energy[f] < RISE * before || f - last < GAP) continue;
      last = f;
      double signal = 0, error = 0;
      for (int c = 0; c < source.channelCount(); c++) {
        float[] x = source.channels()[c], y = copy.channels()[c];
        for (int i = (f - AHEAD) * frame; i < f * frame - frame / 2; i++) {
          signal += (double) x[i] * x[i];
          error += (double) (x[i] - y[i]) * (x[i] - y[i]);
        }
      }
      snrs.add(10 * Math.log10((signal + 1e-12) / (error + 1e-12)));
    }
    if (snrs.isEmpty()) return Double.NaN;
    snrs.sort(null);
    return snrs.get(snrs.size() / 2);
  }
}
