package dev.refrain.audio;

/** 16-bit quantisation shared by the WAV and FLAC writers; rounds like FFmpeg's float-to-s16. */
final class Pcm16 {
  private Pcm16() {}

  static short quantize(float x) {
    return (short) Math.clamp(Math.rint(x * 32768.0), -32768, 32767);
  }

  /** Frames [from, from + count) interleaved, as WAV and FFmpeg's packed s16 expect. */
  static short[] interleave(AudioClip clip, int from, int count) {
    float[][] ch = clip.channels();
    short[] out = new short[count * ch.length];
    for (int c = 0; c < ch.length; c++) {
      for (int i = 0, o = c; i < count; i++, o += ch.length) out[o] = quantize(ch[c][from + i]);
    }
    return out;
  }
}
