package dev.refrain.audio;

import dev.refrain.core.OutputFormat;
import static dev.refrain.audio.AudioDecoderTest.assertSameSamples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.refrain.testing.RunsOnce;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class AudioEncoderTest {
  /**
   * Our MP3s decode to exactly the frames we encoded: the LAME tag's delay and padding let FFmpeg
   * trim precisely. Lengths are odd on purpose; 96 kHz and 37.8 kHz go out at 48 and 44.1 kHz.
   */
  @ParameterizedTest
  @CsvSource({
    "44100, 2, 132301, 44100", "48000, 2, 12345, 48000", "32000, 1, 64000, 32000", "22050, 2, 22051, 22050",
    "96000, 2, 96001, 48000", "37800, 1, 37800, 44100", "8000, 1, 100, 8000"
  })
  void mp3KeepsExactLengthAndPitch(int rate, int channels, int frames, int mp3Rate) throws Exception {
    AudioClip tone = TestAudio.tone(frames / (double) rate, rate, channels, 440);
    byte[] mp3 = AudioEncoder.encode(tone, OutputFormat.MP3, 192);
    assertThat(AudioSniffer.sniff(mp3)).contains(Container.MP3);

    AudioClip back = AudioDecoder.decode(mp3, 600);
    assertThat(back.sampleRate()).isEqualTo(mp3Rate);
    assertThat(back.channelCount()).isEqualTo(channels);
    assertThat(back.frames()).isEqualTo(Resampler.resample(tone, mp3Rate).frames());
    if (frames >= 16384) {
      assertThat(TestAudio.dominantHz(back.channels()[0], mp3Rate)).isCloseTo(440, within(mp3Rate / 16384.0));
    }
  }

  @Test
  void mp3IsCbrAtTheAskedBitrateWithAnInfoTag() throws Exception {
    AudioClip tone = TestAudio.tone(10, 44100, 2, 1000);
    byte[] mp3 = AudioEncoder.encode(tone, OutputFormat.MP3, 128);
    assertThat(mp3.length).isCloseTo(128_000 / 8 * 10, within(2_000));
    String head = new String(mp3, 0, 200, StandardCharsets.ISO_8859_1);
    assertThat(head).contains("Info").contains("LAME");
    // The tag frame itself is a valid CBR frame header at 128 kbps (index 9), 44.1 kHz.
    assertThat(mp3[0] & 0xff).isEqualTo(0xff);
    assertThat((mp3[2] & 0xff) >> 4).isEqualTo(9);
    assertThat(AudioDecoder.decode(mp3, 600).frames()).isEqualTo(tone.frames());
  }

  /** From 160 kbit/s stereo is coded as left and right (channel mode 0), below as mid and side (joint stereo, mode 1). */
  @ParameterizedTest
  @CsvSource({"128, 1", "160, 0", "192, 0", "320, 0"})
  void mp3CodesStereoApartOnlyAtHighBitrates(int kbps, int channelMode) throws Exception {
    AudioClip tone = TestAudio.tone(2, 44100, 2, 1000);
    byte[] mp3 = AudioEncoder.encode(tone, OutputFormat.MP3, kbps);
    assertThat(AudioEncoder.mp3Settings(kbps).jointStereo()).isEqualTo(channelMode == 1);
    // The first audio frame follows the tag frame: 144 × bitrate / rate bytes, plus its padding byte.
    int second = 144 * kbps * 1000 / 44100 + ((mp3[2] >> 1) & 1);
    assertThat(mp3[second] & 0xff).isEqualTo(0xff);
    assertThat((mp3[second + 3] & 0xff) >> 6).isEqualTo(channelMode);
    assertThat(AudioDecoder.decode(mp3, 600).frames()).isEqualTo(tone.frames());
  }

  @Test
  void wavAndFlacRoundTripBitExactAt16Bits() throws Exception {
    float[] edge = {0f, -0f, 1f, -1f, 1.5f, -1.5f, 0.999f, -0.999f, 1e-6f, -1e-6f, 0.5f / 32768, 1.5f / 32768, Float.NaN};
    AudioClip tone = TestAudio.tone(1.5, 44100, 2, 523.25);
    System.arraycopy(edge, 0, tone.channels()[0], 1000, edge.length);
    for (AudioClip clip : List.of(tone, TestAudio.tone(0.5, 22050, 1, 300))) {
      for (OutputFormat format : List.of(OutputFormat.WAV, OutputFormat.FLAC)) {
        byte[] file = AudioEncoder.encode(clip, format, 192);
        AudioClip back = AudioDecoder.decode(file, 600);
        assertThat(back.sampleRate()).isEqualTo(clip.sampleRate());
        assertThat(back.channelCount()).isEqualTo(clip.channelCount());
        for (int c = 0; c < clip.channelCount(); c++) {
          float[] want = new float[clip.frames()];
          for (int i = 0; i < want.length; i++) want[i] = Pcm16.quantize(clip.channels()[c][i]) / 32768f;
          assertSameSamples(back.channels()[c], want);
        }
      }
    }
  }

  @Test
  void encodesConcurrently() throws Exception {
    AudioClip tone = TestAudio.tone(2, 44100, 2, 440);
    byte[] mp3 = AudioEncoder.encode(tone, OutputFormat.MP3, 192);
    byte[] flac = AudioEncoder.encode(tone, OutputFormat.FLAC, 192);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          for (int round = 0; round < 3; round++) {
            assertThat(AudioEncoder.encode(tone, OutputFormat.MP3, 192)).isEqualTo(mp3);
            assertThat(AudioEncoder.encode(tone, OutputFormat.FLAC, 192)).isEqualTo(flac);
          }
          return null;
        }));
      }
      for (Future<?> run : runs) run.get();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void refusesWhatMp3CannotCarry() {
    AudioClip tone = TestAudio.tone(0.1, 44100, 2, 440);
    assertThatThrownBy(() -> AudioEncoder.encode(tone, OutputFormat.MP3, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AudioEncoder.encode(tone, OutputFormat.MP3, 500)).isInstanceOf(IllegalArgumentException.class);
    AudioClip surround = TestAudio.tone(0.1, 44100, 6, 440);
    assertThatThrownBy(() -> AudioEncoder.encode(surround, OutputFormat.MP3, 192)).isInstanceOf(IllegalArgumentException.class);
  }
}
