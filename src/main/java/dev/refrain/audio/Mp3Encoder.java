package dev.refrain.audio;

import de.sciss.jump3r.mp3.BitStream;
import de.sciss.jump3r.mp3.GainAnalysis;
import de.sciss.jump3r.mp3.GetAudio;
import de.sciss.jump3r.mp3.ID3Tag;
import de.sciss.jump3r.mp3.Lame;
import de.sciss.jump3r.mp3.LameGlobalFlags;
import de.sciss.jump3r.mp3.MPEGMode;
import de.sciss.jump3r.mp3.Parse;
import de.sciss.jump3r.mp3.Presets;
import de.sciss.jump3r.mp3.Quantize;
import de.sciss.jump3r.mp3.QuantizePVT;
import de.sciss.jump3r.mp3.Reservoir;
import de.sciss.jump3r.mp3.Takehiro;
import de.sciss.jump3r.mp3.VBRTag;
import de.sciss.jump3r.mp3.VbrMode;
import de.sciss.jump3r.mp3.Version;
import de.sciss.jump3r.mpg.Common;
import de.sciss.jump3r.mpg.Interface;
import de.sciss.jump3r.mpg.MPGLib;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * CBR MP3 through jump3r (pure-Java LAME), with the LAME info tag in the first frame so decoders
 * drop the encoder delay and padding and report the exact length. Thread-safe: every call builds
 * its own encoder (jump3r's only shared state, FFT windows, is rewritten with identical values).
 */
final class Mp3Encoder {
  /** The rates MPEG-1, 2 and 2.5 layer III can carry, ascending. */
  private static final int[] RATES = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
  private static final int CHUNK = 1152 * 16;
  /**
   * LAME's -q 7: no noise shaping or best-Huffman search, the psychoacoustic model kept. At
   * 192 kbit/s it measured as close to the source as -q 3 (SNR and band spectra of a decoded song)
   * and encodes about twice as fast. -q 9 drops the model, and with it short blocks: it encodes 2.5×
   * faster, but the 20 ms ahead of a song's attacks come out 10 dB noisier (pre-echo; bench/preview mp3).
   */
  static final int QUALITY = 7;
  /**
   * From this bitrate each channel has bits enough of its own: left and right are coded apart, which
   * spares LAME the psychoacoustic analysis of mid and side (a third of the encode time). At 192 kbit/s
   * a decoded song came out as close to the source as joint stereo at -q 3 (mid 17.5 vs 17.2 dB SNR,
   * side 11.9 vs 12.0 dB); below it joint stereo's mid/side coding is worth its cost.
   */
  private static final int SEPARATE_KBPS = 160;

  private Mp3Encoder() {}

  /**
   * Writes {@code pcm} to {@code target} block by block; the LAME tag goes into the first frame
   * once the end is known, so the file needs no second copy in memory. Returns the file's size.
   */
  static long encode(PcmStream pcm, int kbps, AudioEncoder.Mp3Settings settings, Path target) throws IOException {
    if (kbps < 8 || kbps > 320) throw new IllegalArgumentException("MP3 bitrate must be 8..320 kbps: " + kbps);
    if (pcm.channelCount() > 2) throw new IllegalArgumentException("MP3 carries at most 2 channels");
    try (PcmStream in = Resampler.stream(pcm, mp3Rate(pcm.sampleRate()));
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      Lame lame = new Lame();
      VBRTag vbr = new VBRTag();
      LameGlobalFlags gf = init(lame, vbr);
      int channels = in.channelCount();
      gf.num_channels = channels;
      gf.in_samplerate = in.sampleRate();
      gf.out_samplerate = in.sampleRate(); // else LAME may pick a lower rate for the bitrate
      gf.mode = channels == 1 ? MPEGMode.MONO : settings.jointStereo() ? MPEGMode.JOINT_STEREO : MPEGMode.STEREO;
      gf.VBR = VbrMode.vbr_off;
      gf.brate = kbps; // LAME snaps to the nearest bitrate the MPEG version allows
      gf.quality = settings.quality();
      gf.write_id3tag_automatic = false;
      gf.findReplayGain = false;
      gf.bWriteVbrTag = true; // reserves the first frame for the tag filled in below
      if (lame.lame_init_params(gf) < 0) throw new IllegalStateException("LAME rejected its parameters");

      float[][] block = new float[channels][CHUNK];
      byte[] buf = new byte[CHUNK * 5 / 4 + 7200]; // LAME's worst case for CHUNK samples
      int[] l = new int[CHUNK], r = new int[CHUNK];
      long size = 0;
      for (int n; (n = in.read(block, 0, CHUNK)) > 0; ) {
        float[] left = block[0], right = block[channels - 1];
        for (int i = 0; i < n; i++) {
          l[i] = toInt(left[i]);
          r[i] = toInt(right[i]);
        }
        size += write(out, buf, check(lame.lame_encode_buffer_int(gf, l, r, n, buf, 0, buf.length)));
      }
      size += write(out, buf, check(lame.lame_encode_flush(gf, buf, 0, buf.length)));

      // jump3r builds the tag (frame count, encoder delay and padding) but leaves placing it to us.
      int tagLength = check(vbr.getLameTagFrame(gf, buf));
      if (tagLength == 0 || tagLength > size) throw new IllegalStateException("LAME wrote no info tag");
      out.position(0);
      write(out, buf, tagLength);
      lame.lame_close(gf);
      return size;
    }
  }

  /** Whether a stereo MP3 at this bitrate is coded as mid and side (joint stereo) rather than left and right. */
  static boolean jointStereo(int kbps) {
    return kbps < SEPARATE_KBPS;
  }

  private static int write(FileChannel out, byte[] buf, int length) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buf, 0, length);
    while (b.hasRemaining()) out.write(b);
    return length;
  }

  /** The lowest MP3 rate that keeps the clip's bandwidth, 48 kHz at most. */
  static int mp3Rate(int rate) {
    for (int r : RATES) {
      if (r >= rate) return r;
    }
    return RATES[RATES.length - 1];
  }

  /** Wires jump3r's modules together the way its own LameEncoder does, minus javax.sound. */
  private static LameGlobalFlags init(Lame lame, VBRTag vbr) {
    GainAnalysis ga = new GainAnalysis();
    BitStream bs = new BitStream();
    Presets presets = new Presets();
    QuantizePVT qupvt = new QuantizePVT();
    Quantize qu = new Quantize();
    Version version = new Version();
    ID3Tag id3 = new ID3Tag();
    Reservoir rv = new Reservoir();
    Takehiro tak = new Takehiro();
    Parse parse = new Parse();
    MPGLib mpg = new MPGLib();
    Interface intf = new Interface();
    Common common = new Common();
    lame.setModules(ga, bs, presets, qupvt, qu, vbr, version, id3, mpg);
    bs.setModules(ga, mpg, version, vbr);
    id3.setModules(bs, version);
    presets.setModules(lame);
    qu.setModules(bs, rv, qupvt, tak);
    qupvt.setModules(tak, rv, lame.enc.psy);
    rv.setModules(bs);
    tak.setModules(qupvt);
    vbr.setModules(lame, bs, version);
    new GetAudio().setModules(parse, mpg);
    parse.setModules(version, id3, presets);
    mpg.setModules(intf, common);
    intf.setModules(vbr, common);
    LameGlobalFlags gf = lame.lame_init();
    id3.id3tag_init(gf);
    return gf;
  }

  /** LAME's int input spans the whole int range. */
  private static int toInt(float x) {
    return (int) Math.rint(Math.clamp(x, -1f, 1f) * 2147483647.0);
  }

  private static int check(int lameResult) {
    if (lameResult < 0) throw new IllegalStateException("LAME failed: " + lameResult);
    return lameResult;
  }
}
