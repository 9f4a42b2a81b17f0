package dev.refrain.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.Frame;

/** An independent reference: FFmpeg's ebur128 filter, run through JavaCV, reading its frame metadata. */
final class Ebur128Reference {
  /** Integrated loudness (LUFS) and true peak (dBTP, max over channels) as FFmpeg measures them. */
  record Result(double lufs, double dbtp) {}

  static {
    FFmpeg.init();
  }

  private Ebur128Reference() {}

  static Result measure(AudioClip clip) {
    int ch = clip.channelCount();
    FFmpegFrameFilter f = new FFmpegFrameFilter("ebur128=peak=true:metadata=1", ch);
    f.setSampleRate(clip.sampleRate());
    // JavaCV feeds a single buffer as packed samples, which for mono is the same layout.
    int format = ch == 1 ? AV_SAMPLE_FMT_FLT : AV_SAMPLE_FMT_FLTP;
    f.setSampleFormat(format);
    f.setAudioChannels(ch);
    double lufs = Double.NaN, peak = Double.NEGATIVE_INFINITY;
    try {
      f.start();
      int step = 1024;
      for (int at = 0; at <= clip.frames(); at += step) {
        int n = Math.min(step, clip.frames() - at);
        if (n > 0) {
          FloatBuffer[] planes = new FloatBuffer[ch];
          for (int c = 0; c < ch; c++) planes[c] = FloatBuffer.wrap(Arrays.copyOfRange(clip.channels()[c], at, at + n));
          f.pushSamples(0, ch, clip.sampleRate(), format, planes);
        } else {
          f.push(null);
        }
        Frame out;
        while ((out = f.pullSamples()) != null) {
          AVFrame av = (AVFrame) out.opaque;
          String i = meta(av, "lavfi.r128.I");
          if (i != null) lufs = Double.parseDouble(i);
          for (int c = 0; c < ch; c++) {
            String p = meta(av, "lavfi.r128.true_peaks_ch" + c);
            if (p != null) peak = Math.max(peak, Double.parseDouble(p));
          }
        }
      }
      f.stop();
      f.release();
    } catch (FFmpegFrameFilter.Exception e) {
      throw new IllegalStateException(e);
    }
    return new Result(lufs, peak);
  }

  private static String meta(AVFrame av, String key) {
    AVDictionaryEntry e = av_dict_get(av.metadata(), key, null, 0);
    return e == null ? null : e.value().getString();
  }
}
