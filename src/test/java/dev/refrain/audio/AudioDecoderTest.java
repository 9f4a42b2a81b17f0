package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class AudioDecoderTest {
  static final List<String> FORMATS = TestAudio.FORMATS;
  static final AudioClip TONE = TestAudio.tone(3.0, 44100, 2, 440);

  /** How far a lossy format's decoded length may miss: its frame size, for the padding we see. */
  private static final Map<String, Integer> SLACK = Map.of("ogg", 2048, "m4a", 1024, "m4a-faststart", 1024, "aac", 2048);

  @ParameterizedTest
  @FieldSource("FORMATS")
  void decodesLengthAndPitch(String format) throws Exception {
    AudioClip clip = AudioDecoder.decode(TestAudio.encoded(format, TONE), 600);
    int rate = format.equals("opus") || format.equals("webm") ? 48000 : 44100;
    assertThat(clip.sampleRate()).isEqualTo(rate);
    assertThat(clip.channelCount()).isEqualTo(2);
    long expected = Math.round(3.0 * rate);
    assertThat((long) clip.frames()).isCloseTo(expected, within((long) SLACK.getOrDefault(format, 0)));
    assertThat(TestAudio.dominantHz(clip.channels()[0], rate)).isCloseTo(440, within(rate / 16384.0 * 1.5));
    assertThat(TestAudio.dominantHz(clip.channels()[1], rate)).isCloseTo(440, within(rate / 16384.0 * 1.5));
  }

  @Test
  void losslessFormatsDecodeTheSamplesTheyHold() throws Exception {
    AudioClip wav = AudioDecoder.decode(TestAudio.encoded("wav", TONE), 600);
    AudioClip flac = AudioDecoder.decode(TestAudio.encoded("flac", TONE), 600);
    AudioClip f32 = AudioDecoder.decode(TestAudio.encoded("wavf32", TONE), 600);
    for (int c = 0; c < 2; c++) {
      assertSameSamples(flac.channels()[c], wav.channels()[c]);
      assertSameSamples(f32.channels()[c], TONE.channels()[c]);
      for (int i = 0; i < TONE.frames(); i++) {
        assertThat(wav.channels()[c][i]).isEqualTo(Pcm16.quantize(TONE.channels()[c][i]) / 32768f);
      }
    }
  }

  @Test
  void keepsMonoAndDownmixesSurroundToStereo() throws Exception {
    AudioClip mono = AudioDecoder.decode(TestAudio.encoded("wav", TestAudio.tone(1, 44100, 1, 440)), 600);
    assertThat(mono.channelCount()).isEqualTo(1);

    // 5.1 with the tone only in front-left: it must land left, at no more than full level.
    AudioClip surround = TestAudio.tone(1, 48000, 6, 1000);
    for (int c = 1; c < 6; c++) Arrays.fill(surround.channels()[c], 0f);
    AudioClip stereo = AudioDecoder.decode(TestAudio.encoded("flac", surround), 600);
    assertThat(stereo.channelCount()).isEqualTo(2);
    assertThat(peak(stereo.channels()[0])).isBetween(0.2f, 0.5f);
    assertThat(peak(stereo.channels()[1])).isEqualTo(0f);

    // The same tone in all six: FFmpeg's matrix is normalised, so nothing clips.
    AudioClip all = AudioDecoder.decode(TestAudio.encoded("wavf32", TestAudio.tone(1, 48000, 6, 1000)), 600);
    assertThat(peak(all.channels()[0])).isBetween(0.45f, 0.501f);
    assertThat(peak(all.channels()[1])).isBetween(0.45f, 0.501f);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 9, 10, 16, 33, 64})
  void downmixesAnyChannelCountUpToSixtyFour(int channels) throws Exception {
    // Ten and more channels used to corrupt the native heap and take the process down.
    AudioClip clip = AudioDecoder.decode(Crafted.wav(channels, 8000, 8000), 600);
    assertThat(clip.channelCount()).isEqualTo(2);
    assertThat(clip.frames()).isEqualTo(8000);
    assertThat(TestAudio.dominantHz(clip.channels()[0], 8000)).isCloseTo(440, within(5.0));
    // Half scale in one channel of many: quieter, never louder (unnamed layouts share the gain out).
    assertThat(peak(clip.channels()[0])).isBetween(0.01f, 0.5f);
  }

  @Test
  void refusesRatesAndChannelsOutsideTheSupportedRange() {
    assertFails(Crafted.wav(1, 4000, 4000), "a sample rate of 4000 Hz is not supported (8000 to 384000 Hz)");
    assertFails(Crafted.wav(2, 655_350, 100), "a sample rate of 655350 Hz is not supported (8000 to 384000 Hz)");
    assertFails(Crafted.wav(65, 8000, 100), "65 channels are more than the 64 supported");
    assertFails(Crafted.hostile().get("wav-58-bit-samples"), "64-bit integer samples are not supported");
  }

  @Test
  void resamplesRatesAboveFortyEightKilohertz() throws Exception {
    AudioClip clip = AudioDecoder.decode(Crafted.wav(1, 192_000, 192_000), 600);
    assertThat(clip.sampleRate()).isEqualTo(48_000);
    assertThat(clip.frames()).isEqualTo(48_000);
    assertThat(TestAudio.dominantHz(clip.channels()[0], 48_000)).isCloseTo(440, within(5.0));
  }

  @Test
  void boundsTheDecodedSizeWhateverTheHeaderSays() throws Exception {
    byte[] tenSeconds = Crafted.wav(2, 48_000, 480_000);
    assertThatThrownBy(() -> AudioDecoder.decode(tenSeconds, 600, 1_000_000))
        .isInstanceOf(AudioException.class).hasMessage("too large to decode: more than 3 s at 48000 Hz");
    assertThat(AudioDecoder.decode(tenSeconds, 600, 4_000_000).seconds()).isEqualTo(10.0);
  }

  @Test
  void refusesWhatIsNotAudio() {
    assertFails("<!DOCTYPE html>".getBytes(StandardCharsets.UTF_8), "not a recognised audio format (starts with 3c 21 44 4f)");
    assertFails(new byte[0], "empty file");
    byte[] noise = new byte[10_000];
    new Random(7).nextBytes(noise);
    noise[0] = 0x12;
    assertFails(noise, "not a recognised audio format (starts with 12");
  }

  @ParameterizedTest
  @FieldSource("FORMATS")
  void refusesFilesCutInsideTheHeader(String format) {
    byte[] file = TestAudio.encoded(format, TONE);
    for (int cut : new int[] {4, 32}) assertFails(Arrays.copyOf(file, cut), "");
  }

  @ParameterizedTest
  @FieldSource("FORMATS")
  void refusesCorruptBodies(String format) {
    // Past the first kilobyte, noise: we want an AudioException or some decoded audio, nothing else.
    byte[] file = TestAudio.encoded(format, TONE);
    byte[] noise = new byte[file.length - 1024];
    new Random(format.hashCode()).nextBytes(noise);
    System.arraycopy(noise, 0, file, 1024, noise.length);
    try {
      AudioClip clip = AudioDecoder.decode(file, 600);
      assertThat(clip.frames()).isPositive();
    } catch (AudioException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Test
  void truncatedFilesDecodeAsFarAsTheyGoUnlessTheIndexIsGone() throws Exception {
    byte[] wav = TestAudio.encoded("wav", TONE);
    assertThat(AudioDecoder.decode(Arrays.copyOf(wav, wav.length / 2), 600).seconds()).isCloseTo(1.5, within(0.01));
    byte[] mp3 = TestAudio.encoded("mp3", TONE);
    assertThat(AudioDecoder.decode(Arrays.copyOf(mp3, mp3.length / 2), 600).seconds()).isBetween(1.3, 1.7);
    byte[] m4a = TestAudio.encoded("m4a", TONE); // moov at the end, cut off
    assertFails(Arrays.copyOf(m4a, m4a.length / 2), "unreadable mp4 file (corrupt or truncated)");
  }

  @Test
  void refusesTooLong() {
    assertFails(TestAudio.encoded("mp3", TONE), 2, "longer than 2 s");
  }

  @Test
  void decodesConcurrently() throws Exception {
    List<String> formats = List.of("mp3", "flac", "m4a", "ogg", "opus", "wav24");
    Map<String, byte[]> files = new java.util.HashMap<>();
    Map<String, AudioClip> serial = new java.util.HashMap<>();
    for (String f : formats) {
      files.put(f, TestAudio.encoded(f, TONE));
      serial.put(f, AudioDecoder.decode(files.get(f), 600));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          for (int round = 0; round < 5; round++) {
            for (String f : formats) {
              AudioClip clip = AudioDecoder.decode(files.get(f), 600);
              assertSameSamples(clip.channels()[0], serial.get(f).channels()[0]);
              assertSameSamples(clip.channels()[1], serial.get(f).channels()[1]);
            }
          }
          return null;
        }));
      }
      for (Future<?> run : runs) run.get();
    } finally {
      pool.shutdown();
    }
  }

  private static void assertFails(byte[] data, String messageStart) {
    assertFails(data, 600, messageStart);
  }

  private static void assertFails(byte[] data, int maxSeconds, String messageStart) {
    assertThatThrownBy(() -> AudioDecoder.decode(data, maxSeconds))
        .isExactlyInstanceOf(AudioException.class)
        .hasMessageStartingWith(messageStart);
  }

  /** Equal as numbers, sample by sample; AssertJ's array checks are slow and tell -0 from 0. */
  static void assertSameSamples(float[] actual, float[] expected) {
    assertThat(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < actual.length; i++) {
      if (actual[i] != expected[i]) {
        throw new AssertionError("sample " + i + ": " + actual[i] + " != " + expected[i]);
      }
    }
  }

  static float peak(float[] x) {
    float p = 0;
    for (float v : x) p = Math.max(p, Math.abs(v));
    return p;
  }
}
