package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class AudioSnifferTest {
  static final java.util.List<String> FORMATS = TestAudio.FORMATS;

  @ParameterizedTest
  @FieldSource("FORMATS")
  void recognisesEveryFormatWeWrite(String format) {
    byte[] file = TestAudio.encoded(format, TestAudio.tone(0.5, 44100, 2, 440));
    assertThat(AudioSniffer.sniff(file)).contains(TestAudio.container(format));
  }

  @Test
  void looksOnlyAtLeadingBytes() {
    byte[] flac = TestAudio.encoded("flac", TestAudio.tone(0.2, 44100, 1, 440));
    assertThat(AudioSniffer.sniff(Arrays.copyOf(flac, 4))).contains(Container.FLAC);
  }

  @Test
  void refusesTextAndNoise() {
    assertThat(AudioSniffer.sniff("<!DOCTYPE html><html>".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(AudioSniffer.sniff("{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(AudioSniffer.sniff(new byte[0])).isEmpty();
    assertThat(AudioSniffer.sniff(new byte[] {(byte) 0xff})).isEmpty();
    assertThat(AudioSniffer.sniff(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})).isEmpty();
  }

  @Test
  void looksPastId3Tags() {
    byte[] id3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 2, 0, 0};
    assertThat(AudioSniffer.sniff(id3)).contains(Container.MP3);
    assertThat(AudioSniffer.sniff(concat(id3, "fLaC".getBytes(StandardCharsets.US_ASCII)))).contains(Container.FLAC);
    assertThat(AudioSniffer.sniff(concat(id3, new byte[] {(byte) 0xff, (byte) 0xf1, 0x50, (byte) 0x80}))).contains(Container.AAC);
    assertThat(AudioSniffer.sniff(concat(id3, id3))).contains(Container.MP3);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
