package dev.refrain.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Sample-rate conversion with FFmpeg's swresample (the JDK's converter drifts), as a stream:
 * time-aligned, exactly round(frames × target / source) frames long.
 */
public final class Resampler implements PcmStream {
  static {
    FFmpeg.init();
  }

  private static final int CHUNK = 16384;
  private static final float[] SILENCE = new float[CHUNK];

  private final PcmStream in;
  private final int targetRate;
  private final int frames;
  private final int tail;
  private final int outCap;
  private final SwrContext swr = new SwrContext(null);
  private final FloatPointer[] inPlanes;
  private final FloatPointer[] outPlanes;
  private final PointerPointer<FloatPointer> inp;
  private final PointerPointer<FloatPointer> outp;
  private final float[][] inBuf;
  /** Converted frames not yet handed out: pending[c][pendingAt, pendingEnd). */
  private final float[][] pending;
  private int pendingAt;
  private int pendingEnd;
  private int fed;
  private int delivered;
  private boolean flushed;
  private boolean closed;

  private Resampler(PcmStream in, int targetRate) {
    this.in = in;
    this.targetRate = targetRate;
    int sourceRate = in.sampleRate();
    int channels = in.channelCount();
    this.frames = (int) (((long) in.frames() * targetRate + sourceRate / 2) / sourceRate);
    // Trailing silence pushes the filter's tail out; tiny inputs would otherwise stay buffered.
    this.tail = (int) (64L * Math.max(1, sourceRate / targetRate + 1));
    this.outCap = (int) ((long) CHUNK * targetRate / sourceRate) + 256;
    AVChannelLayout layout = new AVChannelLayout();
    try {
      av_channel_layout_default(layout, channels);
      int ret = swr_alloc_set_opts2(swr, layout, AV_SAMPLE_FMT_FLTP, targetRate, layout, AV_SAMPLE_FMT_FLTP, sourceRate, 0, null);
      if (ret < 0 || (ret = swr_init(swr)) < 0) {
        swr_free(swr);
        throw new IllegalStateException("swresample init failed: " + ret);
      }
    } finally {
      av_channel_layout_uninit(layout);
      layout.close();
    }
    inPlanes = new FloatPointer[channels];
    outPlanes = new FloatPointer[channels];
    inp = new PointerPointer<>(channels);
    outp = new PointerPointer<>(channels);
    for (int c = 0; c < channels; c++) {
      inp.put(c, inPlanes[c] = new FloatPointer(CHUNK));
      outp.put(c, outPlanes[c] = new FloatPointer(outCap));
    }
    inBuf = new float[channels][CHUNK];
    pending = new float[channels][outCap];
  }

  /** {@code in} at {@code targetRate}; {@code in} itself when the rates already match. Closing the result closes {@code in}. */
  public static PcmStream stream(PcmStream in, int targetRate) {
    if (targetRate <= 0) throw new IllegalArgumentException("targetRate must be positive");
    return in.sampleRate() == targetRate ? in : new Resampler(in, targetRate);
  }

  /** {@code clip} at {@code targetRate}; {@code clip} itself when the rates already match. */
  public static AudioClip resample(AudioClip clip, int targetRate) {
    if (clip.sampleRate() == targetRate) return clip;
    return PcmStream.readAll(stream(PcmStream.of(clip), targetRate));
  }

  @Override
  public int sampleRate() {
    return targetRate;
  }

  @Override
  public int channelCount() {
    return pending.length;
  }

  @Override
  public int frames() {
    return frames;
  }

  @Override
  public int read(float[][] out, int offset, int count) {
    if (closed) throw new IllegalStateException("closed");
    int want = Math.min(count, frames - delivered);
    if (want <= 0) return 0;
    while (pendingAt == pendingEnd) {
      if (!convertMore()) {
        // Fully flushed yet short by a frame or so of rounding: the rest is silence.
        for (float[] c : out) java.util.Arrays.fill(c, offset, offset + want, 0f);
        delivered += want;
        return want;
      }
    }
    int n = Math.min(want, pendingEnd - pendingAt);
    for (int c = 0; c < out.length; c++) System.arraycopy(pending[c], pendingAt, out[c], offset, n);
    pendingAt += n;
    delivered += n;
    return n;
  }

  /** Feeds the next chunk of input (then silence, then a flush) and keeps what comes out; false once nothing more will. */
  private boolean convertMore() {
    int sourceFrames = in.frames();
    int got;
    if (fed < sourceFrames + tail) {
      int n = Math.min(CHUNK, sourceFrames + tail - fed);
      int real = 0;
      while (real < Math.min(n, sourceFrames - fed)) {
        int r = in.read(inBuf, real, Math.min(n, sourceFrames - fed) - real);
        if (r <= 0) throw new IllegalStateException("input stream ended early");
        real += r;
      }
      for (int c = 0; c < inPlanes.length; c++) {
        inPlanes[c].position(0).put(inBuf[c], 0, real).position(real).put(SILENCE, 0, n - real);
        inPlanes[c].position(0);
      }
      fed += n;
      got = swr_convert(swr, outp, outCap, inp, n);
    } else if (!flushed) {
      got = swr_convert(swr, outp, outCap, null, 0);
      if (got == 0) flushed = true;
    } else {
      return false;
    }
    if (got < 0) throw new IllegalStateException("swresample failed: " + got);
    for (int c = 0; c < pending.length; c++) outPlanes[c].position(0).get(pending[c], 0, got);
    pendingAt = 0;
    pendingEnd = got;
    return true;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    swr_free(swr);
    for (FloatPointer p : inPlanes) p.close();
    for (FloatPointer p : outPlanes) p.close();
    inp.close();
    outp.close();
    in.close();
  }
}
