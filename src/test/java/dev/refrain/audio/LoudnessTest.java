package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class LoudnessTest {
  @Test
  void sineAtMinus23IsMinus23Lufs() {
    for (int rate : new int[] {48000, 44100}) {
      AudioClip s = Signals.sine(20, rate, 2, 1000, Math.pow(10, -23 / 20.0), 0);
      assertThat(Loudness.integrated(s)).isCloseTo(-23.0, within(0.1));
      assertMatchesFfmpeg("1 kHz -23 dBFS @" + rate, s);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {48000, 44100, 22050})
  void pinkNoiseMatchesFfmpeg(int rate) {
    assertMatchesFfmpeg("pink @" + rate, Signals.pink(15, rate, 2, 0.5, 1));
  }

  @Test
  void monoCountsAsOneChannel() {
    AudioClip mono = Signals.pink(12, 48000, 1, 0.3, 2);
    assertMatchesFfmpeg("pink mono", mono);
    AudioClip stereo = new AudioClip(48000, new float[][] {mono.channels()[0], mono.channels()[0]});
    assertThat(Loudness.integrated(stereo) - Loudness.integrated(mono)).isCloseTo(3.01, within(0.01));
  }

  @Test
  void gatingIgnoresSilenceAndQuietParts() {
    AudioClip clip = Signals.pink(30, 44100, 2, 0.6, 3);
    Signals.scale(clip, 5, 10, 0);      // silence: under the absolute gate
    Signals.scale(clip, 15, 20, 0.03);  // -30 dB: under the relative gate
    Signals.scale(clip, 22, 26, 0.5);   // -6 dB: counted
    assertMatchesFfmpeg("gated mix", clip);
    // Removing silence entirely barely changes the result (it is gated out, not averaged in).
    AudioClip loudOnly = Signals.pink(30, 44100, 2, 0.6, 3);
    assertThat(Loudness.integrated(clip)).isLessThan(Loudness.integrated(loudOnly) + 0.01);
  }

  @Test
  void surroundWeightsAndLfe() {
    AudioClip base = Signals.pink(10, 48000, 1, 0.4, 4);
    float[] x = base.channels()[0], z = new float[x.length];
    double front = Loudness.integrated(new AudioClip(48000, new float[][] {x, z, z, z, z, z}));
    double lfe = Loudness.integrated(new AudioClip(48000, new float[][] {z, z, z, x, z, z}));
    double surround = Loudness.integrated(new AudioClip(48000, new float[][] {z, z, z, z, x, z}));
    assertThat(lfe).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(surround - front).isCloseTo(10 * Math.log10(1.41), within(0.001));
    assertMatchesFfmpeg("5.1", new AudioClip(48000, new float[][] {x, x, z, x, x, z}));
  }

  @Test
  void silenceAndTooShortAreMinusInfinity() {
    assertThat(Loudness.integrated(AudioClip.silence(44100, 2, 44100 * 3))).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(Loudness.integrated(Signals.sine(0.3, 44100, 2, 1000, 0.5, 0))).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void blockSizeDoesNotMatter() {
    AudioClip clip = Signals.pink(8, 44100, 2, 0.5, 5);
    Loudness l = new Loudness(44100, 2);
    for (int at = 0, n = 1; at < clip.frames(); at += n, n = n * 7 % 5003 + 1) {
      l.add(clip.channels(), at, Math.min(n, clip.frames() - at));
    }
    assertThat(l.integrated()).isCloseTo(Loudness.integrated(clip), within(1e-9));
  }

  static void assertMatchesFfmpeg(String what, AudioClip clip) {
    double ours = Loudness.integrated(clip), ref = Ebur128Reference.measure(clip).lufs();
    System.out.printf("loudness %-22s ours %8.3f  ffmpeg %8.3f  diff %+.3f%n", what, ours, ref, ours - ref);
    assertThat(ours).as(what).isCloseTo(ref, within(0.1));
  }
}
