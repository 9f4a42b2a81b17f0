package dev.refrain.audio;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_NATIVE;
import static org.bytedeco.ffmpeg.global.avutil.AV_MATRIX_ENCODING_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S64;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S64P;
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
 * Decodes a whole audio file held in memory to an {@link AudioClip}: one or two channels (more are
 * downmixed to stereo), at the stream's own rate up to {@value #MAX_OUTPUT_RATE} Hz (higher rates
 * are resampled to it). Runs FFmpeg in this process, so it is for bytes we trust; the server decodes
 * what clients and backends send through {@link DecoderPool}, which runs this in a child process.
 */
public final class AudioDecoder {
  static {
    FFmpeg.init();
  }

  public static final int MIN_RATE = 8_000;
  public static final int MAX_RATE = 384_000;
  public static final int MAX_CHANNELS = 64;
  /** No engine works above it; it also bounds what a decoded clip costs the server's heap. */
  public static final int MAX_OUTPUT_RATE = 48_000;

  private AudioDecoder() {}

  /**
   * Decodes {@code data}, refusing anything longer than {@code maxSeconds} or larger than
   * {@code maxBytes} of decoded samples at the stream's own rate. The length comes from the
   * decoded samples, so encoder padding (LAME tag, MP4 edit lists, Opus pre-skip) is already gone.
   * A truncated stream decodes as far as it goes.
   */
  public static AudioClip decode(byte[] data, int maxSeconds, long maxBytes) throws AudioException {
    if (maxSeconds <= 0) throw new IllegalArgumentException("maxSeconds must be positive");
    if (data.length == 0) throw new AudioException("empty file");
    Container container = AudioSniffer.sniff(data).orElseThrow(() -> new AudioException(
        "not a recognised audio format (starts with " + hexHead(data) + ")"));
    String name = container.name().toLowerCase(Locale.ROOT);
    // A ByteArrayInputStream supports mark/reset, so FFmpeg can seek (MP4 with its index at the end).
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(data), data.length);
    grabber.setFormat(container.demuxer);
    grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT);
    // Interleaved: JavaCV's conversion to planar floats corrupts the native heap above 9 channels.
    grabber.setSampleFormat(AV_SAMPLE_FMT_FLT);
    AudioClip clip;
    try {
      grabber.start();
      if (!grabber.hasAudio() || grabber.getAudioChannels() <= 0 || grabber.getSampleRate() <= 0) {
        throw new AudioException("no audio stream");
      }
      clip = read(grabber, maxSeconds, maxBytes, name);
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
    return clip.sampleRate() <= MAX_OUTPUT_RATE ? clip : Resampler.resample(clip, MAX_OUTPUT_RATE);
  }

  /** {@link #decode(byte[], int, long)} with no bound but the length. */
  public static AudioClip decode(byte[] data, int maxSeconds) throws AudioException {
    return decode(data, maxSeconds, Long.MAX_VALUE);
  }

  /** Checks what the header declares before any buffer is sized from it. */
  static void checkDeclared(int rate, int channels) throws AudioException {
    if (rate < MIN_RATE || rate > MAX_RATE) {
      throw new AudioException("a sample rate of " + rate + " Hz is not supported (" + MIN_RATE + " to " + MAX_RATE + " Hz)");
    }
    if (channels > MAX_CHANNELS) throw new AudioException(channels + " channels are more than the " + MAX_CHANNELS + " supported");
  }

  /** JavaCV converts 8, 16 and 32-bit integer and float samples; 64-bit integers (a WAV saying 58 bits per sample) it cannot. */
  private static void checkSampleFormat(AVFormatContext fc) throws AudioException {
    for (int i = 0; i < fc.nb_streams(); i++) {
      var par = fc.streams(i).codecpar();
      if (par.codec_type() == AVMEDIA_TYPE_AUDIO && (par.format() == AV_SAMPLE_FMT_S64 || par.format() == AV_SAMPLE_FMT_S64P)) {
        throw new AudioException("64-bit integer samples are not supported");
      }
    }
  }

  private static AudioClip read(FFmpegFrameGrabber grabber, int maxSeconds, long maxBytes, String name)
      throws FrameGrabber.Exception, AudioException {
    int rate = grabber.getSampleRate();
    int channels = grabber.getAudioChannels();
    checkDeclared(rate, channels);
    checkSampleFormat(grabber.getFormatContext());
    float[][] mix = channels > 2 ? downmix(layout(grabber.getFormatContext(), channels)) : identity(channels);
    int outChannels = mix.length;
    long cap = Math.min((long) maxSeconds * rate, Integer.MAX_VALUE - 8); // Java arrays end there
    long capByBytes = maxBytes / (4L * outChannels);
    // The header's duration only sizes the first buffer, and at most for a minute: headers can lie.
    long estimate = grabber.getLengthInTime() / 1000 * rate / 1000;
    float[][] out = new float[outChannels][(int) Math.clamp(estimate + rate, 1, Math.min(Math.min(cap, capByBytes), 60L * rate))];
    int frames = 0;
    Frame f;
    while ((f = grabber.grabSamples()) != null) {
      if (f.samples == null) continue;
      if (f.sampleRate != rate || f.audioChannels != channels) {
        throw new AudioException(name + " stream changes its sample rate or channels midway");
      }
      FloatBuffer in = (FloatBuffer) f.samples[0];
      int n = in.remaining() / channels;
      if (frames + (long) n > cap) throw new AudioException("longer than " + maxSeconds + " s");
      if (frames + (long) n > capByBytes) {
        throw new AudioException(String.format(Locale.ROOT, "too large to decode: more than %.0f s at %d Hz", capByBytes / (double) rate, rate));
      }
      if (frames + n > out[0].length) {
        int grown = (int) Math.min(Math.max(out[0].length * 2L, frames + (long) n), Math.min(cap, capByBytes));
        for (int c = 0; c < outChannels; c++) out[c] = Arrays.copyOf(out[c], grown);
      }
      mixInto(in, channels, n, mix, out, frames);
      frames += n;
    }
    if (frames == 0) throw new AudioException("decoded to zero samples");
    for (int c = 0; c < outChannels; c++) out[c] = Arrays.copyOf(out[c], frames);
    return new AudioClip(rate, out);
  }

  /** Deinterleaves {@code n} frames of {@code in} through {@code mix} (out × in gains) into {@code out} at {@code at}. */
  private static void mixInto(FloatBuffer in, int channels, int n, float[][] mix, float[][] out, int at) {
    float[] interleaved = new float[n * channels];
    in.get(in.position(), interleaved);
    for (int o = 0; o < mix.length; o++) {
      float[] g = mix[o];
      float[] dst = out[o];
      for (int c = 0; c < channels; c++) {
        float gain = g[c];
        if (gain == 0) continue;
        for (int i = 0; i < n; i++) dst[at + i] += gain * interleaved[i * channels + c];
      }
    }
  }

  private static float[][] identity(int channels) {
    float[][] m = new float[channels][channels];
    for (int c = 0; c < channels; c++) m[c][c] = 1;
    return m;
  }

  /** FFmpeg's own stereo downmix matrix for the layout, normalised so nothing clips. */
  private static float[][] downmix(AVChannelLayout layout) {
    int n = layout.nb_channels();
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
    float[][] mix = new float[2][n];
    for (int o = 0; o < 2; o++) {
      for (int c = 0; c < n; c++) mix[o][c] = (float) matrix[o * 64 + c];
    }
    return mix;
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
