package dev.refrain.audio;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Onset strength of a mono signal: spectral flux over quarter-octave bands of log power, one value
 * per hop. Bands rather than bins so that broadband hats, with hundreds of bins, do not outweigh a
 * kick that lives in a few; log power so that quiet onsets count. Frame n is centred on sample
 * n × hop. Log power barely tells a loud onset from a soft one, so each frame's overall log power
 * is kept too, for accents, and the magnitude in a kick's band and in a snare's, for telling drums apart.
 */
final class Onsets {
  private static final double LOWEST_HZ = 30, BANDS_PER_OCTAVE = 4;
  /** Power floor (about −70 dB re a full-scale sine) so the log of near-silence does not flicker. */
  private static final double FLOOR = 1e-7;
  /** A kick's thump lives below 150 Hz; a snare's crack (and not a hi-hat's sizzle) between 1.5 and 5 kHz. */
  private static final double KICK_HZ = 150, SNARE_FROM_HZ = 1500, SNARE_TO_HZ = 5000;

  final int hop;
  final double frameRate;
  final float[] strength;
  /** Natural log of each frame's power. */
  final float[] level;
  /** Each frame's magnitude (square root of power) below {@link #KICK_HZ}, and between the snare's bounds. */
  final float[] low;
  final float[] mid;

  private Onsets(int hop, double frameRate, float[] strength, float[] level, float[] low, float[] mid) {
    this.hop = hop;
    this.frameRate = frameRate;
    this.strength = strength;
    this.level = level;
    this.low = low;
    this.mid = mid;
  }

  static Onsets of(float[] x, int rate) {
    int size = rate >= 16000 ? 1024 : 512, hop = size / 4, half = size / 2;
    int bins = size / 2;
    int[] band = new int[bins];
    int bands = 0;
    for (int k = 1; k < bins; k++) {
      double hz = (double) k * rate / size;
      band[k] = hz < LOWEST_HZ ? -1 : (int) (BANDS_PER_OCTAVE * StrictMath.log(hz / LOWEST_HZ) / StrictMath.log(2));
      bands = Math.max(bands, band[k] + 1);
    }
    float[] window = new float[size];
    // Hann, scaled so a full-scale sine has a peak bin power of about 1.
    for (int i = 0; i < size; i++) window[i] = (float) ((0.5 - 0.5 * StrictMath.cos(2 * Math.PI * i / size)) * 4.0 / size);
    int frames = x.length / hop + 1;
    float[] strength = new float[frames], level = new float[frames], low = new float[frames], mid = new float[frames];
    int kickTo = (int) (KICK_HZ * size / rate), snareFrom = (int) (SNARE_FROM_HZ * size / rate);
    int snareTo = Math.min(bins, (int) (SNARE_TO_HZ * size / rate));
    float[] buf = new float[size];
    double[] power = new double[bands], prev = new double[bands];
    FloatFFT_1D fft = new FloatFFT_1D(size);
    for (int n = 0; n < frames; n++) {
      int start = n * hop - half;
      for (int i = 0; i < size; i++) {
        int j = start + i;
        buf[i] = j >= 0 && j < x.length ? x[j] * window[i] : 0;
      }
      fft.realForward(buf);
      java.util.Arrays.fill(power, 0);
      double kick = 0, snare = 0;
      for (int k = 1; k < bins; k++) {
        double p = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
        if (band[k] >= 0) power[band[k]] += p;
        if (k <= kickTo) kick += p;
        else if (k >= snareFrom && k < snareTo) snare += p;
      }
      low[n] = (float) Math.sqrt(kick);
      mid[n] = (float) Math.sqrt(snare);
      double rise = 0, total = 0;
      for (int b = 0; b < bands; b++) {
        double log = StrictMath.log(FLOOR + power[b]);
        if (n > 0) rise += Math.max(0, log - prev[b]);
        prev[b] = log;
        total += power[b];
      }
      strength[n] = (float) rise;
      level[n] = (float) StrictMath.log(FLOOR + total);
    }
    return new Onsets(hop, (double) rate / hop, strength, level, low, mid);
  }
}
