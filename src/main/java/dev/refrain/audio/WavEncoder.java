package dev.refrain.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** 16-bit PCM WAV. Written by hand: javax.sound picks writers through service providers. */
final class WavEncoder {
  private WavEncoder() {}

  static byte[] encode(AudioClip clip) {
    int channels = clip.channelCount();
    int dataBytes = Math.multiplyExact(clip.frames(), channels * 2);
    ByteBuffer b = ByteBuffer.allocate(Math.addExact(44, dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
    b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) 1).putShort((short) channels).putInt(clip.sampleRate());
    b.putInt(clip.sampleRate() * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
    b.asShortBuffer().put(Pcm16.interleave(clip, 0, clip.frames()));
    return b.array();
  }
}
