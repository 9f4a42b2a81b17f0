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
import java.io.ByteArrayOutputStream;

/**
 * CBR MP3 through jump3r (pure-Java LAME), with the LAME info tag in the first frame so decoders
 * drop the encoder delay and padding and report the exact length. Thread-safe: every call builds
 * its own encoder (jump3r's only shared state, FFT windows, is rewritten with identical values).
 */
final class Mp3Encoder {
  /** The rates MPEG-1, 2 and 2.5 layer III can carry, ascending. */
  private static final int[] RATES = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
  private static final int CHUNK = 1152 * 16;
  /** LAME's own default, -q 3; -q 5 encodes about 30% faster at slightly lower quality. */
  private static final int QUALITY = 3;

  private Mp3Encoder() {}

  static byte[] encode(AudioClip clip, int kbps) {
    if (kbps < 8 || kbps > 320) throw new IllegalArgumentException("MP3 bitrate must be 8..320 kbps: " + kbps);
    if (clip.channelCount() > 2) throw new IllegalArgumentException("MP3 carries at most 2 channels");
    clip = Resampler.resample(clip, mp3Rate(clip.sampleRate()));

    Lame lame = new Lame();
    VBRTag vbr = new VBRTag();
    LameGlobalFlags gf = init(lame, vbr);
    gf.num_channels = clip.channelCount();
    gf.in_samplerate = clip.sampleRate();
    gf.out_samplerate = clip.sampleRate(); // else LAME may pick a lower rate for the bitrate
    gf.mode = clip.channelCount() == 1 ? MPEGMode.MONO : MPEGMode.JOINT_STEREO;
    gf.VBR = VbrMode.vbr_off;
    gf.brate = kbps; // LAME snaps to the nearest bitrate the MPEG version allows
    gf.quality = QUALITY;
    gf.write_id3tag_automatic = false;
    gf.findReplayGain = false;
    gf.bWriteVbrTag = true; // reserves the first frame for the tag filled in below
    if (lame.lame_init_params(gf) < 0) throw new IllegalStateException("LAME rejected its parameters");

    float[] left = clip.channels()[0], right = clip.channels()[clip.channelCount() - 1];
    int frames = clip.frames();
    ByteArrayOutputStream out = new ByteArrayOutputStream(frames / 4 + 8192);
    byte[] buf = new byte[CHUNK * 5 / 4 + 7200]; // LAME's worst case for CHUNK samples
    int[] l = new int[CHUNK], r = new int[CHUNK];
    for (int at = 0; at < frames; at += CHUNK) {
      int n = Math.min(CHUNK, frames - at);
      for (int i = 0; i < n; i++) {
        l[i] = toInt(left[at + i]);
        r[i] = toInt(right[at + i]);
      }
      out.write(buf, 0, check(lame.lame_encode_buffer_int(gf, l, r, n, buf, 0, buf.length)));
    }
    out.write(buf, 0, check(lame.lame_encode_flush(gf, buf, 0, buf.length)));
    byte[] mp3 = out.toByteArray();

    // jump3r builds the tag (frame count, encoder delay and padding) but leaves placing it to us.
    int tagLength = check(vbr.getLameTagFrame(gf, buf));
    if (tagLength == 0 || tagLength > mp3.length) throw new IllegalStateException("LAME wrote no info tag");
    System.arraycopy(buf, 0, mp3, 0, tagLength);
    lame.lame_close(gf);
    return mp3;
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
