package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class LimiterTest {
  private static final double CEILING = -1.0;

  /** Runs the limiter over clip in blocks whose sizes come from sizes (cycled), checking the length. */
  static AudioClip limit(AudioClip clip, double ceiling, int... sizes) {
    int ch = clip.channelCount(), frames = clip.frames();
    float[][] out = new float[ch][frames];
    Limiter lim = new Limiter(clip.sampleRate(), ch, ceiling);
    int written = 0, k = 0;
    for (int at = 0; at < frames; k++) {
      int n = Math.min(sizes[k % sizes.length], frames - at);
      written += lim.process(clip.channels(), at, n, out, written);
      at += n;
      assertThat(written).isEqualTo(Math.max(0, at - lim.latency()));
    }
    written += lim.drain(out, written);
    assertThat(written).isEqualTo(frames);
    return new AudioClip(clip.sampleRate(), out);
  }

  /** Drums plus a square wave, scaled to peak +12 dB over the ceiling. */
  static AudioClip hot(int rate) {
    AudioClip d = Signals.drums(128, 8, rate, 2, 0.05, 21);
    float[][] x = d.channels();
    for (int i = 0; i < d.frames(); i++) {
      double sq = Math.sin(2 * Math.PI * 110 * i / rate) >= 0 ? 0.5 : -0.5;
      x[0][i] += (float) sq;
      x[1][i] += (float) (0.7 * sq);
    }
    double gain = Math.pow(10, (CEILING + 12 - TruePeak.of(d)) / 20);
    Signals.scale(d, 0, 8, gain);
    return d;
  }

  @ParameterizedTest
  @ValueSource(ints = {44100, 48000, 22050, 96000})
  void hotSignalNeverExceedsTheCeiling(int rate) {
    AudioClip in = hot(rate);
    assertThat(TruePeak.of(in)).isCloseTo(CEILING + 12, within(0.01));
    AudioClip out = limit(in, CEILING, 1024);
    double tp = TruePeak.of(out);
    System.out.printf("limiter @%d: in %.2f dBTP, out %.4f dBTP%n", rate, TruePeak.of(in), tp);
    assertThat(tp).isLessThanOrEqualTo(CEILING);
    assertThat(tp).isGreaterThan(CEILING - 0.5); // it limits, not just attenuates
  }

  @Test
  void noiseBurstsAndClicksStayUnderTheCeiling() {
    Random rnd = new Random(3);
    float[][] x = new float[2][44100 * 5];
    for (int i = 0; i < x[0].length; i++) {
      double env = (i / 4410) % 3 == 0 ? 4 : 0.2;
      x[0][i] = (float) (env * (rnd.nextDouble() * 2 - 1));
      x[1][i] = (i % 5000 == 0) ? 3f : -x[0][i];
    }
    AudioClip out = limit(new AudioClip(44100, x), -0.3, 333);
    assertThat(TruePeak.of(out)).isLessThanOrEqualTo(-0.3);
  }

  @Test
  void transparentUnderTheCeiling() {
    AudioClip in = Signals.pink(6, 44100, 2, 0.5, 22);
    Signals.scale(in, 0, 6, Math.pow(10, (CEILING - 0.5 - TruePeak.of(in)) / 20));
    AudioClip out = limit(in, CEILING, 4096);
    for (int c = 0; c < 2; c++) assertThat(out.channels()[c]).isEqualTo(in.channels()[c]);
  }

  @Test
  void blockSizeDoesNotChangeTheOutput() {
    AudioClip in = hot(44100);
    AudioClip whole = limit(in, CEILING, in.frames());
    for (int[] sizes : new int[][] {{1}, {7, 1000, 3}, {4096}, {113, 1, 65536}}) {
      AudioClip other = limit(in, CEILING, sizes);
      for (int c = 0; c < 2; c++) assertThat(other.channels()[c]).isEqualTo(whole.channels()[c]);
    }
  }

  @Test
  void impulsesComeOutWhereTheyWentIn() {
    for (float amp : new float[] {0.5f, 4f}) {
      float[][] x = new float[2][20000];
      x[0][12345] = amp;
      x[1][12345] = -amp / 2;
      float[][] y = limit(new AudioClip(44100, x), CEILING, 512).channels();
      int at = 0;
      for (int i = 0; i < y[0].length; i++) if (Math.abs(y[0][i]) > Math.abs(y[0][at])) at = i;
      assertThat(at).isEqualTo(12345);
      double gain = y[0][at] / amp;
      assertThat((double) y[1][at]).isCloseTo(-amp / 2 * gain, within(1e-6));
      if (amp < 0.8) assertThat(gain).isEqualTo(1.0);
      else assertThat(gain).isLessThan(Math.pow(10, CEILING / 20) / amp);
    }
  }

  @Test
  void gainRecoversAfterABurst() {
    AudioClip in = Signals.sine(3, 44100, 1, 440, 0.3, 0);
    Signals.scale(in, 1.0, 1.2, 8); // 0.2 s at +6.6 dBFS
    float[] x = in.channels()[0], y = limit(in, CEILING, 1024).channels()[0];
    assertThat(y[(int) (44100 * 1.1)] / x[(int) (44100 * 1.1)]).isLessThan(0.5f);
    for (int i = (int) (44100 * 2.2); i < x.length; i++) assertThat((double) y[i]).isCloseTo(x[i], within(1e-6));
    // Release is smooth: no sample-to-sample gain jump after the burst.
    double prev = 0;
    for (int i = (int) (44100 * 1.2) + 200; i < (int) (44100 * 1.5); i += 100) {
      double g = Math.abs(y[i]) / Math.max(1e-9, Math.abs(x[i]));
      if (Math.abs(x[i]) > 0.1) {
        if (prev > 0) assertThat(g).isGreaterThanOrEqualTo(prev - 1e-6);
        prev = g;
      }
    }
  }
}
