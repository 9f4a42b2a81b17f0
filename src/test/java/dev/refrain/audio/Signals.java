package dev.refrain.audio;

import java.util.Random;

/** Synthesised test signals for loudness, peak and limiter tests. */
final class Signals {
  private Signals() {}

  static AudioClip sine(double seconds, int rate, int channels, double hz, double amp, double phase) {
    int frames = (int) Math.round(seconds * rate);
    float[][] pcm = new float[channels][frames];
    for (int i = 0; i < frames; i++) {
      float v = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate + phase));
      for (float[] c : pcm) c[i] = v;
    }
    return new AudioClip(rate, pcm);
  }

  /** Roughly pink noise (white noise through a few one-pole filters), independent per channel, scaled to peak amp. */
  static AudioClip pink(double seconds, int rate, int channels, double amp, long seed) {
    Random rnd = new Random(seed);
    int frames = (int) Math.round(seconds * rate);
    float[][] pcm = new float[channels][frames];
    double[] poles = {0.99886, 0.99332, 0.96900, 0.86650, 0.55000};
    double[] gains = {0.0555179, 0.0750759, 0.1538520, 0.3104856, 0.5329522};
    for (float[] c : pcm) {
      double[] s = new double[poles.length];
      double max = 1e-9;
      double[] y = new double[frames];
      for (int i = 0; i < frames; i++) {
        double white = rnd.nextGaussian(), sum = 0.1848 * white;
        for (int k = 0; k < poles.length; k++) sum += s[k] = poles[k] * s[k] + gains[k] * white;
        y[i] = sum;
        max = Math.max(max, Math.abs(sum));
      }
      for (int i = 0; i < frames; i++) c[i] = (float) (y[i] / max * amp);
    }
    return new AudioClip(rate, pcm);
  }

  /** Multiplies frames [from, to) of every channel by gain. */
  static void scale(AudioClip clip, double fromS, double toS, double gain) {
    int from = (int) (fromS * clip.sampleRate()), to = Math.min(clip.frames(), (int) (toS * clip.sampleRate()));
    for (float[] c : clip.channels()) {
      for (int i = from; i < to; i++) c[i] *= (float) gain;
    }
  }

  /**
   * A drum loop (kick on 1 and 3, snare on 2 and 4, closed hats on eighths) at bpm, first beat at
   * offset seconds, mono-identical channels. Kicks are decaying sine sweeps, snares tone plus noise, hats high noise.
   */
  static AudioClip drums(double bpm, double seconds, int rate, int channels, double offset, long seed) {
    int frames = (int) Math.round(seconds * rate);
    float[] x = new float[frames];
    Random rnd = new Random(seed);
    double beat = 60 / bpm;
    for (int k = 0; offset + k * beat / 2 < seconds; k++) {
      int at = (int) Math.round((offset + k * beat / 2) * rate);
      if (k % 2 == 0) {
        if ((k / 2) % 2 == 0) kick(x, at, rate);
        else snare(x, at, rate, rnd);
      }
      hat(x, at, rate, rnd, k % 2 == 0 ? 0.12 : 0.08);
    }
    float[][] pcm = new float[channels][];
    for (int c = 0; c < channels; c++) pcm[c] = x.clone();
    return new AudioClip(rate, pcm);
  }

  static void kick(float[] x, int at, int rate) {
    double phase = 0;
    for (int i = 0; i < rate * 0.3 && at + i < x.length; i++) {
      double t = (double) i / rate;
      phase += 2 * Math.PI * (50 + 100 * Math.exp(-t / 0.03)) / rate;
      x[at + i] += (float) (0.8 * Math.exp(-t / 0.08) * Math.sin(phase));
    }
  }

  static void snare(float[] x, int at, int rate, Random rnd) {
    for (int i = 0; i < rate * 0.2 && at + i < x.length; i++) {
      double t = (double) i / rate;
      x[at + i] += (float) (Math.exp(-t / 0.05) * (0.3 * Math.sin(2 * Math.PI * 190 * t) + 0.4 * (rnd.nextDouble() * 2 - 1)));
    }
  }

  static void hat(float[] x, int at, int rate, Random rnd, double amp) {
    double prev = 0;
    for (int i = 0; i < rate * 0.05 && at + i < x.length; i++) {
      double t = (double) i / rate, n = rnd.nextDouble() * 2 - 1, high = n - prev; // first difference: mostly highs
      prev = n;
      x[at + i] += (float) (amp * Math.exp(-t / 0.012) * high);
    }
  }

  /**
   * A click track at bpm, first click at offset seconds: short decaying 1 kHz blips, every accentEvery-th
   * one (counting from the first) louder and at 2 kHz; accentEvery 0 accents none.
   */
  static AudioClip clicks(double bpm, double seconds, int rate, double offset, int accentEvery) {
    int frames = (int) Math.round(seconds * rate);
    float[] x = new float[frames];
    for (int k = 0; offset + k * 60 / bpm < seconds; k++) {
      boolean accent = accentEvery > 0 && k % accentEvery == 0;
      int at = (int) Math.round((offset + k * 60 / bpm) * rate);
      double hz = accent ? 2000 : 1000, amp = accent ? 0.9 : 0.4;
      for (int i = 0; i < rate * 0.03 && at + i < frames; i++) {
        double t = (double) i / rate;
        x[at + i] += (float) (amp * Math.exp(-t / 0.006) * Math.sin(2 * Math.PI * hz * t));
      }
    }
    return new AudioClip(rate, new float[][] {x, x.clone()});
  }

  /** Adds a note of several decaying harmonics (amplitude ~1/h) at midi pitch, from start for dur seconds. */
  static void note(float[] x, int rate, double midi, double start, double dur, double amp) {
    double hz = 440 * Math.pow(2, (midi - 69) / 12);
    int from = (int) Math.round(start * rate), n = (int) Math.round(dur * rate);
    for (int i = 0; i < n && from + i < x.length; i++) {
      double t = (double) i / rate, env = Math.min(1, t / 0.01) * Math.exp(-t / (0.6 * dur)) * Math.min(1, (n - i) / (0.02 * rate));
      double v = 0;
      for (int h = 1; h <= 6 && h * hz < rate / 2.0; h++) v += Math.sin(2 * Math.PI * h * hz * t) / h * Math.exp(-t * h / 1.5);
      x[from + i] += (float) (amp * env * v);
    }
  }

  /**
   * A chord progression in the key with tonic (0 = C) — I–IV–V–I in major, i–iv–V–i in minor —
   * as triads around middle C over a bass root, one chord per chordS seconds, from start for seconds.
   */
  static void progression(float[] x, int rate, int tonic, boolean minor, double start, double seconds, double chordS, double amp) {
    int[] degrees = {0, 5, 7, 0};
    int[][] triads = minor ? new int[][] {{0, 3, 7}, {0, 3, 7}, {0, 4, 7}, {0, 3, 7}} : new int[][] {{0, 4, 7}, {0, 4, 7}, {0, 4, 7}, {0, 4, 7}};
    for (int k = 0; start + k * chordS < start + seconds - 1e-9; k++) {
      int root = tonic + degrees[k % 4];
      double at = start + k * chordS;
      for (int iv : triads[k % 4]) note(x, rate, 60 + Math.floorMod(root + iv, 12), at, chordS, amp);
      note(x, rate, 36 + Math.floorMod(root, 12), at, chordS, amp * 1.2);
    }
  }
}
