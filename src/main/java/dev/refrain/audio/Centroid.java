package dev.refrain.audio;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Brightness of a mono signal: the spectral centroid of its average magnitude spectrum, in Hz.
 * Averaging the magnitudes over the whole signal first weights each frame by how loud it is, so
 * quiet passages and silence barely move it; magnitudes rather than power, so the bass (where most
 * of a mix's power sits) does not swamp what the upper partials say about the sound.
 */
final class Centroid {
  private static final int SIZE = 2048;
  private static final int HOP = SIZE / 2;

  private Centroid() {}

  /** The centroid in Hz; NaN for silence, which has no brightness. */
  static double of(float[] x, int rate) {
    int bins = SIZE / 2;
    float[] window = new float[SIZE];
    for (int i = 0; i < SIZE; i++) window[i] = (float) (0.5 - 0.5 * StrictMath.cos(2 * Math.PI * i / SIZE));
    double[] magnitude = new double[bins];
    float[] buf = new float[SIZE];
    FloatFFT_1D fft = new FloatFFT_1D(SIZE);
    // Frames from the first sample to past the last, so a signal shorter than one frame still counts.
    for (int start = 0; start < Math.max(1, x.length); start += HOP) {
      for (int i = 0; i < SIZE; i++) buf[i] = start + i < x.length ? x[start + i] * window[i] : 0;
      fft.realForward(buf);
      for (int k = 1; k < bins; k++) magnitude[k] += Math.sqrt(buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1]);
    }
    double weighted = 0;
    double total = 0;
    for (int k = 1; k < bins; k++) {
      weighted += magnitude[k] * k * rate / SIZE;
      total += magnitude[k];
    }
    return total > 0 ? weighted / total : Double.NaN;
  }
}
