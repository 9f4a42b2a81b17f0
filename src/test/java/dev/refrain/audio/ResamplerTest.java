package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class ResamplerTest {
  @ParameterizedTest
  @CsvSource({"44100, 48000", "48000, 44100", "22050, 44100", "96000, 44100", "8000, 48000", "48000, 8000"})
  void keepsLengthPitchAndTiming(int from, int to) {
    for (int frames : new int[] {7, 1000, 12345, 3 * from + 1}) {
      AudioClip clip = AudioClip.silence(from, 2, frames);
      clip.channels()[0][frames / 2] = 1; // an impulse must come out where it went in
      AudioClip out = Resampler.resample(clip, to);
      assertThat(out.sampleRate()).isEqualTo(to);
      assertThat(out.frames()).isEqualTo((int) Math.round((double) frames * to / from));
      assertThat(peakAt(out.channels()[0])).isCloseTo((int) Math.round(frames / 2 * (double) to / from), within(1));
    }
    AudioClip tone = TestAudio.tone(3, from, 1, 440);
    AudioClip out = Resampler.resample(tone, to);
    assertThat(TestAudio.dominantHz(out.channels()[0], to)).isCloseTo(440, within(to / 16384.0));

    // Away from the edges it matches a tone made at the target rate to better than -80 dB.
    float[] want = TestAudio.tone(3, to, 1, 440).channels()[0];
    double err = 0, sig = 0;
    for (int i = to / 2; i < out.frames() - to / 2; i++) {
      err += Math.pow(out.channels()[0][i] - want[i], 2);
      sig += Math.pow(want[i], 2);
    }
    assertThat(10 * Math.log10(err / sig)).isLessThan(-80);
  }

  @Test
  void sameRateIsIdentity() {
    AudioClip clip = TestAudio.tone(0.1, 44100, 2, 440);
    assertThat(Resampler.resample(clip, 44100)).isSameAs(clip);
  }

  private static int peakAt(float[] x) {
    int at = 0;
    for (int i = 1; i < x.length; i++) {
      if (x[i] > x[at]) at = i;
    }
    return at;
  }
}
