package dev.refrain.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes through the path input audio takes: sniff, then decode in this process (so a native
 * crash is a finding, not a contained failure as in the server). Each input ends as a clip or as an
 * {@link AudioException}. The analysis that follows has its own target ({@link AnalysisFuzzTest}).
 */
class AudioFuzzTest {
  @FuzzTest(maxDuration = "6s")
  void sniffAndDecode(byte[] data) {
    if (AudioSniffer.sniff(data).isEmpty()) return;
    try {
      AudioDecoder.decode(data, 5, 4L << 20);
    } catch (AudioException refused) {
      // A refusal with its reason is the other good end.
    }
  }
}
