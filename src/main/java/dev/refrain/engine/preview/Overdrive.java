package dev.refrain.engine.preview;

/**
 * An electric guitar's amp: a sound driven hard into a soft clipper, which adds the odd harmonics
 * that fill 1–5 kHz and holds the note near full level as the string decays. Play it through a
 * speaker cabinet ({@link Filtered}) to take the fizz off.
 */
final class Overdrive extends Sound {
  /**
   * The clipped string's level: it holds near full scale while a clean one decays, so it sits lower
   * to play about as loud as the rest of the band.
   */
  private static final double LEVEL = 0.35;

  private final Sound string;
  private final double drive;

  /** {@code drive}: how far into the clipper a full-scale note goes (1 clean, 8 crunchy, 20 saturated). */
  Overdrive(Sound string, double drive) {
    this.string = string;
    this.drive = drive;
  }

  @Override
  boolean control() {
    return string.control();
  }

  @Override
  void run(float[] a, float[] b, int at, int from, int n) {
    string.run(a, b, at, from, n);
    double d = drive;
    for (int i = 0; i < n; i++) a[at + i] = (float) (LEVEL * Wave.saturate(a[at + i] * d, 1));
  }
}
