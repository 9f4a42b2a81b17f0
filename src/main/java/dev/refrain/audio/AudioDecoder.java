package dev.refrain.audio;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_NATIVE;
import static org.bytedeco.ffmpeg.global.avutil.AV_MATRIX_ENCODING_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.M_SQRT1_2;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_build_matrix2;

import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes a whole audio file held in memory to an {@link AudioClip} at the stream's own sample rate,
 * one or two channels (more are downmixed to stereo). Thread-safe.
 */
public final class AudioDecoder {
  static {
    FFmpeg.init();
  }

  private AudioDecoder() {}

  /**
   * Decodes {@code data}, refusing anything longer than {@code maxSeconds}, which also bounds memory.
   * The length comes from the decoded samples, so encoder padding (LAME tag, MP4 edit lists, Opus
   * pre-skip) is already gone. A truncated stream decodes as far as it goes.
   */
  public static AudioClip decode(byte[] data, int maxSeconds) throws AudioException {
    if (maxSeconds <= 0) throw new IllegalArgumentException("maxSeconds must be positive");
    if (data.length == 0) throw new AudioException("empty file");
    Container container = AudioSniffer.sniff(data).orElseThrow(() -> new AudioException(
        "not a recognised audio format (starts with " + hexHead(data) + ")"));
    String name = container.name().toLowerCase(Locale.ROOT);
    // A ByteArrayInputStream supports mark/reset, so FFmpeg can seek (MP4 with its index at the end).
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(data), data.length);
    grabber.setFormat(container.demuxer);
    grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT);
    grabber.setSampleFormat(AV_SAMPLE_FMT_FLTP);
    try {
      grabber.start();
      if (!grabber.hasAudio() || grabber.getAudioChannels() <= 0 || grabber.getSampleRate() <= 0) {
        throw new AudioException("no audio stream");
      }
      return read(grabber, maxSeconds, name);
    } catch (FrameGrabber.Exception | RuntimeException e) {
      // Hostile input must end as a refusal, not as whatever the native wrapper throws.
      throw new AudioException("unreadable " + name + " file (corrupt or truncated)", e);
    } finally {
      try {
        grabber.release();
      } catch (FrameGrabber.Exception ignored) {
        // Nothing left to do with a grabber that cannot even release.
      }
    }
  }

  private static AudioClip read(FFmpegFrameGrabber grabber, int maxSeconds, String name)
      throws FrameGrabber.Exception, AudioException {
    int rate = grabber.getSampleRate();
    int channels = grabber.getAudioChannels();
    if (channels > 64) throw new AudioException("more than 64 channels");
    long cap = Math.min((long) maxSeconds * rate, Integer.MAX_VALUE - 8); // Java arrays end there
    // The header's duration only sizes the first buffer, and at most for a minute: headers can lie.
    long estimate = grabber.getLengthInTime() / 1000 * rate / 1000;
    float[][] pcm = new float[channels][(int) Math.clamp(estimate + rate, rate, Math.min(cap, 60L * rate))];
    int frames = 0;
    Frame f;
    while ((f = grabber.grabSamples()) != null) {
      if (f.samples == null) continue;
      if (f.sampleRate != rate || f.samples.length != channels) {
        throw new AudioException(name + " stream changes its sample rate or channels midway");
      }
      int n = f.samples[0].remaining();
      if (frames + (long) n > cap) throw new AudioException("longer than " + maxSeconds + " s");
      if (frames + n > pcm[0].length) {
        int grown = (int) Math.min(Math.max(pcm[0].length * 2L, frames + (long) n), cap);
        for (int c = 0; c < channels; c++) pcm[c] = Arrays.copyOf(pcm[c], grown);
      }
      for (int c = 0; c < channels; c++) ((FloatBuffer) f.samples[c]).get(pcm[c], frames, n);
      frames += n;
    }
    if (frames == 0) throw new AudioException("decoded to zero samples");
    for (int c = 0; c < channels; c++) pcm[c] = Arrays.copyOf(pcm[c], frames);
    if (channels > 2) pcm = downmix(pcm, layout(grabber.getFormatContext(), channels));
    return new AudioClip(rate, pcm);
  }

  /** FFmpeg's own stereo downmix matrix for the layout, normalised so nothing clips. */
  private static float[][] downmix(float[][] in, AVChannelLayout layout) {
    int n = in.length;
    // FFmpeg normalises across all 64 x 64 slots with the given stride, so the matrix must be that big.
    double[] matrix = new double[64 * 64];
    AVChannelLayout stereo = new AVChannelLayout();
    av_channel_layout_default(stereo, 2);
    int ret = swr_build_matrix2(layout, stereo, M_SQRT1_2, M_SQRT1_2, 0, 1, 1, matrix, 64, AV_MATRIX_ENCODING_NONE, null);
    av_channel_layout_uninit(layout);
    if (ret < 0) {
      // A layout FFmpeg cannot mix: alternate channels left and right at a gain that cannot clip.
      Arrays.fill(matrix, 0);
      for (int c = 0; c < n; c++) matrix[(c % 2) * 64 + c] = 1.0 / ((n + 1) / 2);
    }
    int frames = in[0].length;
    float[][] out = new float[2][frames];
    for (int o = 0; o < 2; o++) {
      for (int c = 0; c < n; c++) {
        float g = (float) matrix[o * 64 + c];
        if (g == 0) continue;
        float[] src = in[c], dst = out[o];
        for (int i = 0; i < frames; i++) dst[i] += g * src[i];
      }
    }
    return out;
  }

  /** The decoded stream's channel layout; unordered layouts get FFmpeg's default for the count. */
  private static AVChannelLayout layout(AVFormatContext fc, int channels) {
    AVChannelLayout layout = new AVChannelLayout();
    for (int i = 0; i < fc.nb_streams(); i++) {
      var par = fc.streams(i).codecpar();
      if (par.codec_type() == AVMEDIA_TYPE_AUDIO && par.ch_layout().nb_channels() == channels
          && par.ch_layout().order() == AV_CHANNEL_ORDER_NATIVE) {
        av_channel_layout_copy(layout, par.ch_layout());
        return layout;
      }
    }
    av_channel_layout_default(layout, channels);
    return layout;
  }

  private static String hexHead(byte[] data) {
    return HexFormat.ofDelimiter(" ").formatHex(data, 0, Math.min(4, data.length));
  }
}
