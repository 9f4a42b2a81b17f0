package dev.refrain.audio;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Per-frame harmonic and timbral features from one short-time spectrum (~190 ms frames, ~93 ms hop
 * at 22 kHz): a 12-bin pitch-class profile, the log power in a few octave bands (spectral shape)
 * and the overall log power (loudness). Frame n is centred on sample n × hop.
 */
final class Chroma {
  static final int SHAPE_BANDS = 6;
  /** Pitch classes come from 80 Hz (lower, bins are wider than semitones) to 5 kHz (above, mostly overtones and noise). */
  private static final double LOW_HZ = 80, HIGH_HZ = 5000, SHAPE_FROM_HZ = 100;

  final int hop;
  final int frames;
  /** frames × 12, C = 0; each frame sums to 1 (all zero when silent). */
  final float[] chroma;
  /** frames × SHAPE_BANDS, natural log of band power. */
  final float[] shape;
  /** Natural log of each frame's power. */
  final float[] level;

  private Chroma(int hop, int frames, float[] chroma, float[] shape, float[] level) {
    this.hop = hop;
    this.frames = frames;
    this.chroma = chroma;
    this.shape = shape;
    this.level = level;
  }

  static Chroma of(float[] x, int rate) {
    int size = Integer.highestOneBit(Math.max(1024, (int) (rate * 0.19))), hop = size / 2, bins = size / 2;
    int[] pitchClass = new int[bins], band = new int[bins];
    float[] weight = new float[bins];
    for (int k = 1; k < bins; k++) {
      double hz = (double) k * rate / size;
      double semis = 12 * StrictMath.log(hz / 440) / StrictMath.log(2) + 69; // MIDI note number
      long nearest = Math.round(semis);
      pitchClass[k] = (int) Math.floorMod(nearest, 12L);
      // Full weight at a semitone's centre, none halfway to the next: bins between notes say little.
      double c = StrictMath.cos(Math.PI * (semis - nearest));
      weight[k] = hz < LOW_HZ || hz > HIGH_HZ ? 0 : (float) (c * c);
      band[k] = hz < SHAPE_FROM_HZ ? 0 : Math.min(SHAPE_BANDS - 1, (int) (StrictMath.log(hz / SHAPE_FROM_HZ) / StrictMath.log(2) * SHAPE_BANDS / 6.6));
    }
    float[] window = new float[size];
    for (int i = 0; i < size; i++) window[i] = (float) ((0.5 - 0.5 * StrictMath.cos(2 * Math.PI * i / size)) * 4.0 / size);
    int frames = x.length / hop + 1;
    float[] chroma = new float[frames * 12], shape = new float[frames * SHAPE_BANDS], level = new float[frames];
    float[] buf = new float[size];
    double[] pc = new double[12], bandPower = new double[SHAPE_BANDS];
    FloatFFT_1D fft = new FloatFFT_1D(size);
    for (int n = 0; n < frames; n++) {
      int start = n * hop - size / 2;
      for (int i = 0; i < size; i++) {
        int j = start + i;
        buf[i] = j >= 0 && j < x.length ? x[j] * window[i] : 0;
      }
      fft.realForward(buf);
      java.util.Arrays.fill(pc, 0);
      java.util.Arrays.fill(bandPower, 0);
      double total = 0;
      for (int k = 1; k < bins; k++) {
        double p = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
        pc[pitchClass[k]] += weight[k] * Math.sqrt(p); // magnitude: harmonics weigh in less than with power
        bandPower[band[k]] += p;
        total += p;
      }
      double sum = 0;
      for (double v : pc) sum += v;
      for (int c = 0; c < 12; c++) chroma[n * 12 + c] = sum > 1e-6 ? (float) (pc[c] / sum) : 0;
      for (int b = 0; b < SHAPE_BANDS; b++) shape[n * SHAPE_BANDS + b] = (float) StrictMath.log(1e-10 + bandPower[b]);
      level[n] = (float) StrictMath.log(1e-10 + total);
    }
    return new Chroma(hop, frames, chroma, shape, level);
  }
}
