package dev.refrain.bench.preview;

import dev.refrain.audio.AudioClip;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * A picture of a clip for a person to look at: time across, frequency up on a log scale (30 Hz to
 * 16 kHz), level as colour from black (−90 dBFS and below) through blue, red and yellow to white
 * (0 dBFS), with faint lines at 100 Hz, 1 kHz and 10 kHz and every 10 s.
 */
final class Spectrogram {
  private static final int WINDOW = 4096;
  private static final int HEIGHT = 360;
  private static final double LOW_HZ = 30;
  private static final double HIGH_HZ = 16_000;
  private static final double FLOOR_DB = -90;

  private Spectrogram() {}

  /** Writes the clip's spectrogram as a PNG, {@code pixelsPerSecond} columns a second. */
  static void write(AudioClip clip, int pixelsPerSecond, Path png) throws Exception {
    int rate = clip.sampleRate();
    int hop = Math.max(1, rate / pixelsPerSecond);
    int width = Math.max(1, clip.frames() / hop);
    float[] mono = PreviewBench.mono(clip);
    float[] hann = new float[WINDOW];
    double windowSum = 0;
    for (int i = 0; i < WINDOW; i++) {
      hann[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / WINDOW));
      windowSum += hann[i];
    }
    // The FFT bin each pixel row shows, log-spaced.
    int[] bin = new int[HEIGHT];
    for (int y = 0; y < HEIGHT; y++) {
      double hz = LOW_HZ * Math.pow(HIGH_HZ / LOW_HZ, (HEIGHT - 1 - y) / (double) (HEIGHT - 1));
      bin[y] = (int) Math.min(WINDOW / 2 - 1, Math.round(hz * WINDOW / rate));
    }
    BufferedImage image = new BufferedImage(width, HEIGHT, BufferedImage.TYPE_INT_RGB);
    FloatFFT_1D fft = new FloatFFT_1D(WINDOW);
    float[] frame = new float[WINDOW];
    for (int x = 0; x < width; x++) {
      int centre = x * hop;
      for (int i = 0; i < WINDOW; i++) {
        int at = centre - WINDOW / 2 + i;
        frame[i] = at >= 0 && at < mono.length ? mono[at] * hann[i] : 0;
      }
      fft.realForward(frame);
      for (int y = 0; y < HEIGHT; y++) {
        int k = Math.max(1, bin[y]);
        double re = frame[2 * k], im = frame[2 * k + 1];
        double amplitude = 2 * Math.sqrt(re * re + im * im) / windowSum;
        double db = 20 * Math.log10(Math.max(amplitude, 1e-9));
        image.setRGB(x, y, colour((db - FLOOR_DB) / -FLOOR_DB));
      }
    }
    grid(image, pixelsPerSecond);
    ImageIO.write(image, "png", png.toFile());
  }

  /** Black, blue, red, yellow, white as {@code level} goes from 0 to 1. */
  private static int colour(double level) {
    double t = Math.clamp(level, 0, 1) * 4;
    double r, g, b;
    if (t < 1) { r = 0; g = 0; b = t; }
    else if (t < 2) { r = t - 1; g = 0; b = 2 - t; }
    else if (t < 3) { r = 1; g = t - 2; b = 0; }
    else { r = 1; g = 1; b = t - 3; }
    return ((int) (r * 255) << 16) | ((int) (g * 255) << 8) | (int) (b * 255);
  }

  private static void grid(BufferedImage image, int pixelsPerSecond) {
    int line = 0x303030;
    for (double hz : new double[] {100, 1000, 10_000}) {
      int y = (int) Math.round((HEIGHT - 1) * (1 - Math.log(hz / LOW_HZ) / Math.log(HIGH_HZ / LOW_HZ)));
      for (int x = 0; x < image.getWidth(); x += 2) image.setRGB(x, y, image.getRGB(x, y) | line);
    }
    for (int x = 10 * pixelsPerSecond; x < image.getWidth(); x += 10 * pixelsPerSecond) {
      for (int y = 0; y < HEIGHT; y += 2) image.setRGB(x, y, image.getRGB(x, y) | line);
    }
  }
}
