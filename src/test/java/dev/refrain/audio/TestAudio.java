package dev.refrain.audio;

import static org.bytedeco.ffmpeg.global.avutil.av_get_sample_fmt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.SeekableByteArrayOutputStream;
import org.jtransforms.fft.FloatFFT_1D;

/** Test audio: tones, real files in every input format we accept, and a pitch probe. */
public final class TestAudio {
  /** FFmpeg muxer, encoder and sample format behind each name {@link #encoded} takes. */
  private record Spec(String muxer, String codec, String sampleFormat, Container container, int rate) {}

  private static final Map<String, Spec> SPECS = Map.ofEntries(
      Map.entry("mp3", new Spec("mp3", "libmp3lame", "fltp", Container.MP3, 0)),
      Map.entry("wav", new Spec("wav", "pcm_s16le", "s16", Container.WAV, 0)),
      Map.entry("wav24", new Spec("wav", "pcm_s24le", "s32", Container.WAV, 0)),
      Map.entry("wavf32", new Spec("wav", "pcm_f32le", "flt", Container.WAV, 0)),
      Map.entry("flac", new Spec("flac", "flac", "s16", Container.FLAC, 0)),
      Map.entry("ogg", new Spec("ogg", "vorbis", "fltp", Container.OGG, 0)),
      Map.entry("opus", new Spec("ogg", "libopus", "flt", Container.OGG, 48000)),
      Map.entry("m4a", new Spec("mp4", "aac", "fltp", Container.MP4, 0)),
      Map.entry("m4a-faststart", new Spec("mp4", "aac", "fltp", Container.MP4, 0)),
      Map.entry("aac", new Spec("adts", "aac", "fltp", Container.AAC, 0)),
      Map.entry("webm", new Spec("webm", "libopus", "flt", Container.WEBM, 48000)),
      Map.entry("aiff", new Spec("aiff", "pcm_s16be", "s16", Container.AIFF, 0)));

  static {
    FFmpeg.init();
  }

  /** Every name {@link #encoded} takes. */
  public static final List<String> FORMATS = SPECS.keySet().stream().sorted().toList();

  private TestAudio() {}

  /** A sine at half full scale, the same in every channel. */
  public static AudioClip tone(double seconds, int rate, int channels, double hz) {
    int frames = (int) Math.round(seconds * rate);
    float[][] pcm = new float[channels][frames];
    for (int i = 0; i < frames; i++) {
      float v = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
      for (float[] c : pcm) c[i] = v;
    }
    return new AudioClip(rate, pcm);
  }

  /** The container {@link #encoded} produces for {@code format}. */
  public static Container container(String format) {
    return spec(format).container;
  }

  /**
   * A real file of {@code clip} in {@code format} (one of {@link #FORMATS}), written by FFmpeg so
   * decoder tests do not lean on our own encoders. Opus formats are resampled to 48 kHz first; "m4a"
   * has its index at the end (FFmpeg's default), "m4a-faststart" at the front.
   */
  public static byte[] encoded(String format, AudioClip clip) {
    Spec spec = spec(format);
    if (spec.rate > 0) clip = Resampler.resample(clip, spec.rate);
    try {
      if (format.equals("m4a-faststart")) {
        // Faststart rewrites the file in a second pass, which needs a real file.
        Path tmp = Files.createTempFile("refrain-test", ".m4a");
        try {
          FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), clip.channelCount());
          r.setOption("movflags", "+faststart");
          record(r, spec, clip);
          return Files.readAllBytes(tmp);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      SeekableByteArrayOutputStream out = new SeekableByteArrayOutputStream();
      record(new FFmpegFrameRecorder(out, clip.channelCount()), spec, clip);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The strongest frequency in the middle of {@code samples}, to within a bin or so. */
  public static double dominantHz(float[] samples, int rate) {
    int n = Integer.highestOneBit(Math.min(samples.length, 32768));
    int from = (samples.length - n) / 2;
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = samples[from + i] * (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n)); // Hann
    }
    new FloatFFT_1D(n).realForward(a);
    int best = 1;
    double bestMag = 0;
    for (int k = 1; k < n / 2; k++) {
      double mag = Math.hypot(a[2 * k], a[2 * k + 1]);
      if (mag > bestMag) {
        bestMag = mag;
        best = k;
      }
    }
    return best * (double) rate / n;
  }

  private static Spec spec(String format) {
    Spec spec = SPECS.get(format);
    if (spec == null) throw new IllegalArgumentException("unknown test format " + format + "; one of " + FORMATS);
    return spec;
  }

  private static void record(FFmpegFrameRecorder r, Spec spec, AudioClip clip) throws FrameRecorder.Exception {
    try {
      r.setFormat(spec.muxer);
      r.setAudioCodecName(spec.codec);
      r.setSampleFormat(av_get_sample_fmt(spec.sampleFormat));
      r.setSampleRate(clip.sampleRate());
      r.setAudioChannels(clip.channelCount());
      r.setAudioBitrate(128_000);
      r.setAudioOption("strict", "experimental"); // FFmpeg's own Vorbis encoder is experimental
      r.start();
      for (int at = 0; at < clip.frames(); at += 4096) {
        int n = Math.min(4096, clip.frames() - at);
        FloatBuffer[] planes = new FloatBuffer[clip.channelCount()];
        // Copies: JavaCV reads a heap buffer's whole backing array, ignoring slice offsets.
        for (int c = 0; c < planes.length; c++) planes[c] = FloatBuffer.wrap(Arrays.copyOfRange(clip.channels()[c], at, at + n));
        r.recordSamples(clip.sampleRate(), clip.channelCount(), planes);
      }
      r.stop();
    } finally {
      r.release();
    }
  }
}
