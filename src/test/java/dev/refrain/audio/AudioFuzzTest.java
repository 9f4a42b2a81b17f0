package dev.refrain.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes through the path input audio takes: sniff, decode (in this process, so a native crash
 * is a finding), analyse. Each input ends as a clip and its analysis, or as an {@link AudioException}.
 */
class AudioFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void sniffDecodeAnalyse(byte[] data) {
    if (AudioSniffer.sniff(data).isEmpty()) return;
    AudioClip clip;
    try {
      clip = AudioDecoder.decode(data, 30, 16L << 20);
    } catch (AudioException refused) {
      return;
    }
    Analysis.of(clip);
  }
}
