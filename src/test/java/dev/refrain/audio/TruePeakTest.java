package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class TruePeakTest {
  @Test
  void quarterRateSineAt45DegreesPeaksBetweenSamples() {
    for (int rate : new int[] {44100, 48000}) {
      AudioClip s = Signals.sine(1, rate, 2, rate / 4.0, 1.0, Math.PI / 4);
      double samplePeak = 0;
      for (float v : s.channels()[0]) samplePeak = Math.max(samplePeak, Math.abs(v));
      assertThat(20 * Math.log10(samplePeak)).isCloseTo(-3.01, within(0.01));
      assertThat(TruePeak.of(s)).isCloseTo(0.0, within(0.2));
    }
  }

  @Test
  void sinesPeakWhereTheMathSays() {
    // FFmpeg is printed for comparison only: its resampling chain reads these 0.3-0.6 dB high.
    record Case(AudioClip clip, double amp) {}
    for (Case c : new Case[] {
        new Case(Signals.sine(3, 48000, 2, 12000, 0.5, Math.PI / 4), 0.5),
        new Case(Signals.sine(3, 44100, 1, 997, 0.7, 0.3), 0.7),
        new Case(Signals.sine(3, 44100, 2, 11025, 0.9, Math.PI / 4), 0.9),
        new Case(Signals.sine(3, 22050, 2, 7000, 0.8, 1), 0.8)}) {
      double ours = TruePeak.of(c.clip), want = 20 * Math.log10(c.amp);
      System.out.printf("true peak sine  ours %7.3f  exact %7.3f  ffmpeg %7.3f%n", ours, want, ffmpeg(c.clip));
      assertThat(ours).isCloseTo(want, within(0.2));
    }
  }

  @Test
  void broadbandMatchesFfmpeg() {
    for (AudioClip clip : new AudioClip[] {
        Signals.pink(5, 44100, 2, 0.8, 7), Signals.pink(5, 48000, 1, 0.5, 11), Signals.drums(120, 5, 48000, 2, 0.1, 8),
        Signals.drums(97, 5, 44100, 2, 0.2, 12)}) {
      double ours = TruePeak.of(clip), ref = ffmpeg(clip);
      System.out.printf("true peak noise ours %7.3f  ffmpeg %7.3f  diff %+.3f%n", ours, ref, ours - ref);
      assertThat(ours).isCloseTo(ref, within(0.3));
    }
  }

  private static double ffmpeg(AudioClip clip) {
    return 20 * Math.log10(Ebur128Reference.measure(clip).dbtp());
  }

  @Test
  void neverBelowSamplePeakAndSilenceIsMinusInfinity() {
    AudioClip clip = Signals.pink(2, 96000, 2, 0.9, 9);
    double samplePeak = 0;
    for (float[] c : clip.channels()) for (float v : c) samplePeak = Math.max(samplePeak, Math.abs(v));
    assertThat(TruePeak.of(clip)).isGreaterThanOrEqualTo(20 * Math.log10(samplePeak));
    assertThat(TruePeak.of(AudioClip.silence(44100, 2, 1000))).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void blockSizeDoesNotMatterAndTheLastSampleCounts() {
    AudioClip clip = Signals.pink(3, 44100, 2, 0.5, 10);
    clip.channels()[1][clip.frames() - 1] = 0.95f; // a peak at the very end
    TruePeak tp = new TruePeak(44100, 2);
    for (int at = 0, n = 1; at < clip.frames(); at += n, n = n * 7 % 9001 + 1) {
      tp.add(clip.channels(), at, Math.min(n, clip.frames() - at));
    }
    assertThat(tp.dbtp()).isEqualTo(TruePeak.of(clip));
    assertThat(tp.dbtp()).isGreaterThanOrEqualTo(20 * Math.log10(0.949));
  }
}
