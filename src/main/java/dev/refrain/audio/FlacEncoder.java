package dev.refrain.audio;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FLAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;

import java.nio.ShortBuffer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.SeekableByteArrayOutputStream;

/** 16-bit FLAC through FFmpeg. */
final class FlacEncoder {
  static {
    FFmpeg.init();
  }

  private static final int CHUNK = 16384;

  private FlacEncoder() {}

  static byte[] encode(AudioClip clip) {
    int channels = clip.channelCount();
    // Seekable, so the muxer can go back and fill in STREAMINFO's sample count and MD5.
    SeekableByteArrayOutputStream out = new SeekableByteArrayOutputStream();
    FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out, channels);
    recorder.setFormat("flac");
    recorder.setAudioCodec(AV_CODEC_ID_FLAC);
    recorder.setSampleFormat(AV_SAMPLE_FMT_S16);
    recorder.setSampleRate(clip.sampleRate());
    recorder.setAudioChannels(channels);
    try {
      recorder.start();
      for (int at = 0; at < clip.frames(); at += CHUNK) {
        int n = Math.min(CHUNK, clip.frames() - at);
        // Quantised here, so the codec gets s16 as is and the result matches the WAV writer's.
        recorder.recordSamples(clip.sampleRate(), channels, ShortBuffer.wrap(Pcm16.interleave(clip, at, n)));
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
    return out.toByteArray();
  }
}
