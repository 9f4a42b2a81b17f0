package dev.refrain.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Audio files built byte by byte, as an attacker would: whatever their headers say, true or not. */
public final class Crafted {
  private Crafted() {}

  /**
   * A 16-bit PCM WAV whose header declares {@code rate} and {@code channels}, with {@code frames}
   * frames of a 440 Hz tone at half scale in the first channel and silence in the others.
   */
  public static byte[] wav(int channels, int rate, int frames) {
    ByteBuffer b = ByteBuffer.allocate(44 + frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + frames * channels * 2).put("WAVEfmt ".getBytes()).putInt(16);
    b.putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * channels * 2)
        .putShort((short) (channels * 2)).putShort((short) 16);
    b.put("data".getBytes()).putInt(frames * channels * 2);
    for (int i = 0; i < frames; i++) {
      b.putShort((short) Math.round(16384 * Math.sin(2 * Math.PI * 440 * i / (double) rate)));
      for (int c = 1; c < channels; c++) b.putShort((short) 0);
    }
    return b.array();
  }
}
