package dev.refrain.audio;

/** 16-bit quantisation shared by the WAV and FLAC writers; rounds like FFmpeg's float-to-s16. */
final class Pcm16 {
  private Pcm16() {}

  static short quantize(float x) {
    return (short) Math.clamp(Math.rint(x * 32768.0), -32768, 32767);
  }
}
