package dev.refrain.audio;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Recognises an audio container from its leading bytes; names and MIME types are never trusted. */
public final class AudioSniffer {
  private AudioSniffer() {}

  public static Optional<Container> sniff(byte[] data) {
    // ID3v2 tags can front MP3, AAC or even FLAC: look past them; tags alone count as MP3.
    int at = 0;
    boolean tagged = false;
    while (has(data, at, "ID3") && data.length >= at + 10) {
      int size = (data[at + 6] & 0x7f) << 21 | (data[at + 7] & 0x7f) << 14 | (data[at + 8] & 0x7f) << 7 | data[at + 9] & 0x7f;
      long next = at + 10L + size + ((data[at + 5] & 0x10) != 0 ? 10 : 0);
      at = (int) Math.min(next, data.length);
      tagged = true;
    }
    Container c = sniffAt(data, at);
    return Optional.ofNullable(c != null || !tagged ? c : Container.MP3);
  }

  private static Container sniffAt(byte[] d, int at) {
    if ((has(d, at, "RIFF") || has(d, at, "RF64") || has(d, at, "BW64")) && has(d, at + 8, "WAVE")) {
      return Container.WAV;
    }
    if (has(d, at, "FORM") && (has(d, at + 8, "AIFF") || has(d, at + 8, "AIFC"))) return Container.AIFF;
    if (has(d, at, "fLaC")) return Container.FLAC;
    if (has(d, at, "OggS")) return Container.OGG;
    if (has(d, at + 4, "ftyp")) return Container.MP4;
    if (has(d, at, "\u001aE\u00df\u00a3")) return Container.WEBM; // EBML magic
    if (d.length >= at + 4 && u8(d, at) == 0xff) {
      int b1 = u8(d, at + 1), b2 = u8(d, at + 2);
      // ADTS: 12-bit sync, layer 00, a real sampling-frequency index.
      if ((b1 & 0xf6) == 0xf0 && (b2 >> 2 & 0xf) < 13) return Container.AAC;
      // MPEG audio: 11-bit sync, then version, layer, bitrate and rate fields must not be reserved.
      boolean sync = (b1 & 0xe0) == 0xe0;
      if (sync && (b1 >> 3 & 3) != 1 && (b1 >> 1 & 3) != 0 && b2 >> 4 != 15 && (b2 >> 2 & 3) != 3) {
        return Container.MP3;
      }
    }
    return null;
  }

  private static boolean has(byte[] d, int at, String ascii) {
    byte[] want = ascii.getBytes(StandardCharsets.ISO_8859_1);
    if (at < 0 || d.length < at + want.length) return false;
    for (int i = 0; i < want.length; i++) {
      if (d[at + i] != want[i]) return false;
    }
    return true;
  }

  private static int u8(byte[] d, int i) {
    return d[i] & 0xff;
  }
}
