package dev.refrain.engine.preview;

/** Peak, RMS, gain and fades over planar buffers: the engine's small mastering kit. */
final class Levels {
  private Levels() {}

  static float peak(float[]... channels) {
    float peak = 0;
    for (float[] c : channels) {
      for (float s : c) peak = Math.max(peak, Math.abs(s));
    }
    return peak;
  }

  static double rms(float[]... channels) {
    double sum = 0;
    long n = 0;
    for (float[] c : channels) {
      for (float s : c) sum += (double) s * s;
      n += c.length;
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }

  static void scale(double gain, float[]... channels) {
    float g = (float) gain;
    for (float[] c : channels) {
      for (int i = 0; i < c.length; i++) c[i] *= g;
    }
  }

  /** Linear fade from silence over the first {@code frames}. */
  static void fadeIn(int frames, float[]... channels) {
    for (float[] c : channels) {
      for (int i = 0; i < frames; i++) c[i] *= i / (float) frames;
    }
  }

  /** Linear fade to silence over the last {@code frames}. */
  static void fadeOut(int frames, float[]... channels) {
    for (float[] c : channels) {
      for (int i = 0; i < frames; i++) c[c.length - 1 - i] *= i / (float) frames;
    }
  }
}
