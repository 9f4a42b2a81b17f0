package dev.refrain.audio;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FLAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;

import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

/** 16-bit FLAC through FFmpeg. */
final class FlacEncoder {
  static {
    FFmpeg.init();
  }

  private static final int CHUNK = 16384;

  private FlacEncoder() {}

  /** Streams {@code pcm} to the file {@code target}, which the muxer seeks back in to fill STREAMINFO. */
  static long encode(PcmStream pcm, Path target) throws IOException {
    int channels = pcm.channelCount();
    FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(target.toFile(), channels);
    recorder.setFormat("flac");
    recorder.setAudioCodec(AV_CODEC_ID_FLAC);
    recorder.setSampleFormat(AV_SAMPLE_FMT_S16);
    recorder.setSampleRate(pcm.sampleRate());
    recorder.setAudioChannels(channels);
    try (pcm) {
      recorder.start();
      float[][] block = new float[channels][CHUNK];
      short[] interleaved = new short[CHUNK * channels];
      for (int n; (n = pcm.read(block, 0, CHUNK)) > 0; ) {
        // Quantised here, so the codec gets s16 as is and the result matches the WAV writer's.
        for (int c = 0; c < channels; c++) {
          for (int i = 0, o = c; i < n; i++, o += channels) interleaved[o] = Pcm16.quantize(block[c][i]);
        }
        recorder.recordSamples(pcm.sampleRate(), channels, ShortBuffer.wrap(interleaved, 0, n * channels));
      }
      recorder.stop();
    } catch (FrameRecorder.Exception e) {
      throw new IllegalStateException("FLAC encoding failed", e);
    } finally {
      try {
        recorder.release();
      } catch (FrameRecorder.Exception ignored) {
        // Already stopped or failed; nothing more to free.
      }
    }
    return Files.size(target);
  }
}
