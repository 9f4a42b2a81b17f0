package dev.refrain.audio;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * How strongly each semitone from E1 (41 Hz) to B5 (988 Hz) sounds as a pitch, frame by frame: harmonic
 * summation, each candidate's first {@link #HARMONICS} partials' magnitudes added with weights that
 * fall by {@link #DECAY} a partial, read between bins. A note's own fundamental counts most, so a
 * candidate an octave below (which collects only its even partials) scores under it. Frames are
 * 4,096 samples (186 ms at 22 kHz: bins fine enough for a bass's harmonics) every 1,024; frame n is
 * centred on sample n × hop. All tables are built once; the loop over frames allocates nothing.
 */
final class Salience {
  static final int LOWEST = 28;
  static final int HIGHEST = 83;
  static final int NOTES = HIGHEST - LOWEST + 1;
  private static final int HARMONICS = 8;
  private static final double DECAY = 0.8;

  final int hop;
  final double frameRate;
  final int frames;
  /** frames × NOTES, from {@link #LOWEST} up. */
  final float[] salience;
  /** frames × NOTES: the magnitude at each candidate's fundamental alone, for telling a sounding bass note from a virtual one. */
  final float[] fundamental;
  /** Each frame's RMS level, for telling silence from sound. */
  final float[] rms;

  private Salience(int hop, double frameRate, int frames, float[] salience, float[] fundamental, float[] rms) {
    this.hop = hop;
    this.frameRate = frameRate;
    this.frames = frames;
    this.salience = salience;
    this.fundamental = fundamental;
    this.rms = rms;
  }

  /** The MIDI note a candidate index stands for. */
  static int midi(int note) {
    return LOWEST + note;
  }

  static Salience of(float[] x, int rate) {
    int size = Integer.highestOneBit(Math.max(1024, (int) (rate * 0.19))), hop = size / 4, bins = size / 2;
    float[] window = new float[size];
    // Hann, scaled so a full-scale sine peaks at a magnitude of about 1.
    for (int i = 0; i < size; i++) window[i] = (float) ((0.5 - 0.5 * StrictMath.cos(2 * Math.PI * i / size)) * 2.0 / size);
    // Where each candidate's partials fall: a bin, the share of the next one, and the partial's weight.
    int[] bin = new int[NOTES * HARMONICS];
    int used = 2;
    float[] frac = new float[NOTES * HARMONICS], weight = new float[NOTES * HARMONICS];
    for (int n = 0; n < NOTES; n++) {
      double hz = 440 * StrictMath.pow(2, (midi(n) - 69) / 12.0);
      for (int h = 0; h < HARMONICS; h++) {
        double k = (h + 1) * hz * size / rate;
        int at = n * HARMONICS + h;
        if (k < bins - 1) {
          bin[at] = (int) k;
          frac[at] = (float) (k - (int) k);
          weight[at] = (float) StrictMath.pow(DECAY, h);
          used = Math.max(used, (int) k + 2);
        }
      }
    }
    int frames = x.length / hop + 1;
    float[] salience = new float[frames * NOTES], fundamental = new float[frames * NOTES], rms = new float[frames];
    float[] buf = new float[size], mag = new float[bins];
    FloatFFT_1D fft = new FloatFFT_1D(size);
    for (int f = 0; f < frames; f++) {
      int start = f * hop - size / 2;
      double energy = 0;
      for (int i = 0; i < size; i++) {
        int j = start + i;
        float v = j >= 0 && j < x.length ? x[j] : 0;
        energy += v * v;
        buf[i] = v * window[i];
      }
      rms[f] = (float) Math.sqrt(energy / size);
      fft.realForward(buf);
      // Only the bins some candidate's partials fall in.
      for (int k = 1; k < used; k++) mag[k] = (float) Math.sqrt(buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1]);
      for (int n = 0; n < NOTES; n++) {
        double sum = 0;
        for (int h = 0; h < HARMONICS; h++) {
          int at = n * HARMONICS + h;
          int k = bin[at];
          // The larger of the two bins around the partial: a sine between bins loses little to either.
          double m = Math.max(mag[k], mag[k + 1]) * (1 - 0.3 * Math.min(frac[at], 1 - frac[at]));
          sum += weight[at] * m;
          if (h == 0) fundamental[f * NOTES + n] = (float) m;
        }
        salience[f * NOTES + n] = (float) sum;
      }
    }
    return new Salience(hop, (double) rate / hop, frames, salience, fundamental, rms);
  }
}
