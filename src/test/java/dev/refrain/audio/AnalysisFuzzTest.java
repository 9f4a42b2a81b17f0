package dev.refrain.audio;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any clip a decoder can hand over (8 to 48 kHz, one or two channels, any float, NaN and infinities
 * included: a float WAV may hold them) through the analysis audio-driven tasks start with.
 */
class AnalysisFuzzTest {
  @FuzzTest(maxDuration = "6s")
  void analyse(FuzzedDataProvider data) {
    int rate = data.consumeInt(AudioDecoder.MIN_RATE, AudioDecoder.MAX_OUTPUT_RATE);
    int channels = data.consumeInt(1, 2);
    int frames = data.consumeInt(1, rate);
    float[][] pcm = new float[channels][frames];
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) pcm[c][i] = data.remainingBytes() >= 4 ? data.consumeFloat() : 0;
    }
    Analysis.of(new AudioClip(rate, pcm));
  }
}
