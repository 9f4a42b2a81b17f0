package dev.refrain.audio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** 16-bit PCM WAV. Written by hand: javax.sound picks writers through service providers. */
final class WavEncoder {
  private static final int CHUNK = 8192;

  private WavEncoder() {}

  /** Streams {@code pcm} to {@code target}; the header's sizes come from the stream's known length. */
  static long encode(PcmStream pcm, Path target) throws IOException {
    int channels = pcm.channelCount();
    int dataBytes = Math.multiplyExact(pcm.frames(), channels * 2);
    ByteBuffer b = ByteBuffer.allocate(CHUNK * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
    b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) 1).putShort((short) channels).putInt(pcm.sampleRate());
    b.putInt(pcm.sampleRate() * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
    try (pcm; OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
      out.write(b.array(), 0, b.position());
      float[][] block = new float[channels][CHUNK];
      for (int n; (n = pcm.read(block, 0, CHUNK)) > 0; ) {
        b.clear();
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < channels; c++) b.putShort(Pcm16.quantize(block[c][i]));
        }
        out.write(b.array(), 0, b.position());
      }
    }
    return 44L + dataBytes;
  }
}
