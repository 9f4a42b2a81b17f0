package dev.refrain.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

/** Sample-rate conversion with FFmpeg's swresample (the JDK's converter drifts). Thread-safe. */
public final class Resampler {
  static {
    FFmpeg.init();
  }

  private static final int CHUNK = 16384;
  private static final float[] SILENCE = new float[CHUNK];

  private Resampler() {}

  /**
   * Returns {@code clip} at {@code targetRate}: time-aligned, exactly round(frames × target / source)
   * frames long. Returns {@code clip} itself when the rates already match.
   */
  public static AudioClip resample(AudioClip clip, int targetRate) {
    if (targetRate <= 0) throw new IllegalArgumentException("targetRate must be positive");
    int sourceRate = clip.sampleRate();
    if (sourceRate == targetRate) return clip;
    int channels = clip.channelCount();
    int frames = clip.frames();
    int outFrames = (int) (((long) frames * targetRate + sourceRate / 2) / sourceRate);
    float[][] out = new float[channels][outFrames];
    // Trailing silence pushes the filter's tail out; tiny inputs would otherwise stay buffered.
    int tail = (int) (64L * Math.max(1, sourceRate / targetRate + 1));
    int outCap = (int) ((long) CHUNK * targetRate / sourceRate) + 256;

    SwrContext swr = new SwrContext(null);
    try (PointerScope scope = new PointerScope()) {
      AVChannelLayout layout = new AVChannelLayout();
      av_channel_layout_default(layout, channels);
      int ret = swr_alloc_set_opts2(swr, layout, AV_SAMPLE_FMT_FLTP, targetRate, layout, AV_SAMPLE_FMT_FLTP, sourceRate, 0, null);
      if (ret < 0 || (ret = swr_init(swr)) < 0) throw new IllegalStateException("swresample init failed: " + ret);
      FloatPointer[] inPlanes = new FloatPointer[channels], outPlanes = new FloatPointer[channels];
      PointerPointer<FloatPointer> inp = new PointerPointer<>(channels), outp = new PointerPointer<>(channels);
      for (int c = 0; c < channels; c++) {
        inp.put(c, inPlanes[c] = new FloatPointer(CHUNK));
        outp.put(c, outPlanes[c] = new FloatPointer(outCap));
      }
      int written = 0;
      for (int at = 0; at < frames + tail && written < outFrames; at += CHUNK) {
        int n = Math.min(CHUNK, frames + tail - at);
        int real = Math.clamp(frames - at, 0, n);
        for (int c = 0; c < channels; c++) {
          inPlanes[c].position(0).put(clip.channels()[c], at, real).position(real).put(SILENCE, 0, n - real);
        }
        written = drain(swr, outp, outCap, inp, n, outPlanes, out, written);
      }
      while (written < outFrames) {
        int before = written;
        written = drain(swr, outp, outCap, null, 0, outPlanes, out, written);
        if (written == before) break; // fully flushed; any rest stays silent
      }
    } finally {
      swr_free(swr);
    }
    return new AudioClip(targetRate, out);
  }

  private static int drain(SwrContext swr, PointerPointer<FloatPointer> outp, int outCap,
      PointerPointer<FloatPointer> inp, int n, FloatPointer[] outPlanes, float[][] out, int written) {
    int got = swr_convert(swr, outp, outCap, inp, n);
    if (got < 0) throw new IllegalStateException("swresample failed: " + got);
    int keep = Math.min(got, out[0].length - written);
    for (int c = 0; c < out.length; c++) outPlanes[c].position(0).get(out[c], written, keep);
    return written + keep;
  }
}
