package dev.refrain.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

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

  /**
   * Hostile files by name: many channels, absurd rates and lengths, lying sizes, truncations, tag
   * and box bombs, wrong headers. Each must cost at most its own task.
   */
  public static Map<String, byte[]> hostile() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("wav-10-channels", wav(10, 8000, 8000));
    m.put("wav-64-channels", wav(64, 8000, 2000));
    m.put("wav-65-channels", wav(65, 8000, 100));
    m.put("wav-4096-channels", wav(4096, 8000, 2));
    m.put("wav-1-hz", wav(1, 1, 100));
    m.put("wav-0-hz", wav(1, 0, 100));
    m.put("wav-655350-hz", wav(2, 655_350, 1000));
    m.put("wav-2147483647-hz", wav(1, Integer.MAX_VALUE, 10));
    m.put("wav-declares-4-gb", patchInt(patchInt(wav(2, 44100, 1000), 4, -1), 40, -1));
    m.put("wav-fmt-chunk-2-gb", patchInt(wav(2, 44100, 1000), 16, 0x7ffffff0));
    m.put("wav-58-bit-samples", patchShort(wav(2, 44100, 1000), 34, (short) 58)); // found by AudioFuzzTest
    m.put("wav-header-only", Arrays.copyOf(wav(2, 44100, 1000), 44));
    m.put("wav-cut-at-20", Arrays.copyOf(wav(2, 44100, 1000), 20));
    m.put("wav-header-noise-body", withNoise(Arrays.copyOf(wav(2, 44100, 1000), 44), 20_000, 1));
    m.put("id3-declares-256-mb", withNoise(id3(0x0fffffff), 2_000, 2));
    m.put("id3-10000-empty-tags", repeat(id3(0), 10_000));
    m.put("mp4-box-declares-4-gb", concat(box("ftyp", "M4A \0\0\0\0isomM4A ".getBytes(StandardCharsets.ISO_8859_1)),
        be(-1), "moov".getBytes(StandardCharsets.ISO_8859_1), new byte[64]));
    m.put("mp4-box-largesize-2^63", concat(box("ftyp", "M4A \0\0\0\0isomM4A ".getBytes(StandardCharsets.ISO_8859_1)),
        be(1), "mdat".getBytes(StandardCharsets.ISO_8859_1), be(0x7fffffff), be(-1), new byte[64]));
    m.put("mp4-boxes-nested-2000-deep", concat(box("ftyp", "M4A \0\0\0\0isomM4A ".getBytes(StandardCharsets.ISO_8859_1)), nested(2000)));
    m.put("flac-655350-hz", flacStreamInfo(655_350, 2, 0xfffffffffL));
    m.put("flac-8-hz", flacStreamInfo(8, 1, 1000));
    m.put("ogg-noise", withNoise("OggS".getBytes(StandardCharsets.ISO_8859_1), 20_000, 3));
    m.put("flac-noise", withNoise("fLaC".getBytes(StandardCharsets.ISO_8859_1), 20_000, 4));
    m.put("mp3-sync-noise", withNoise(new byte[] {(byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x64}, 20_000, 5));
    m.put("webm-noise", withNoise(new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3}, 20_000, 6));
    m.put("aiff-noise", withNoise("FORM\0\0\1\0AIFF".getBytes(StandardCharsets.ISO_8859_1), 20_000, 7));
    return m;
  }

  /** An fLaC stream with only a STREAMINFO block declaring {@code rate}, {@code channels} and {@code totalSamples}, then zeros. */
  static byte[] flacStreamInfo(int rate, int channels, long totalSamples) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 34 + 1024);
    b.put("fLaC".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0x80).put((byte) 0).put((byte) 0).put((byte) 34);
    b.putShort((short) 4096).putShort((short) 4096).put(new byte[6]);
    // 20 bits rate, 3 bits channels-1, 5 bits bits-per-sample-1, 36 bits total samples.
    long packed = ((long) rate & 0xfffff) << 44 | (long) (channels - 1) << 41 | 15L << 36 | (totalSamples & 0xfffffffffL);
    b.putLong(packed).put(new byte[16]);
    return b.array();
  }

  private static byte[] id3(int syncsafeSize) {
    byte[] h = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 4; i++) h[6 + i] = (byte) (syncsafeSize >> (21 - 7 * i) & 0x7f);
    return h;
  }

  private static byte[] box(String type, byte[] body) {
    return concat(be(8 + body.length), type.getBytes(StandardCharsets.ISO_8859_1), body);
  }

  private static byte[] nested(int depth) {
    byte[] inner = new byte[0];
    String[] types = {"moov", "trak", "mdia", "minf", "stbl"};
    for (int i = 0; i < depth; i++) inner = box(types[i % types.length], inner);
    return inner;
  }

  private static byte[] be(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  private static byte[] patchShort(byte[] file, int at, short value) {
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putShort(at, value);
    return file;
  }

  private static byte[] patchInt(byte[] file, int at, int value) {
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    return file;
  }

  private static byte[] withNoise(byte[] head, int noise, long seed) {
    byte[] out = Arrays.copyOf(head, head.length + noise);
    byte[] n = new byte[noise];
    new Random(seed).nextBytes(n);
    System.arraycopy(n, 0, out, head.length, noise);
    return out;
  }

  private static byte[] repeat(byte[] part, int times) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(part.length * times);
    for (int i = 0; i < times; i++) out.writeBytes(part);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
