package dev.refrain.bench.preview;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioEncoder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * The reference the bench measures the server's MP3 encoder (jump3r) against: FFmpeg's libmp3lame
 * through JavaCV, CBR with given LAME settings (the bench passes the server's), its muxer writing the
 * Xing/LAME tag with the encoder delay and padding so decoders can trim to the exact length.
 */
final class FfmpegMp3 {
  private static final int CHUNK = 1152 * 16;

  private FfmpegMp3() {}

  static long encode(AudioClip clip, int kbps, AudioEncoder.Mp3Settings lame, Path target) throws Exception {
    int channels = clip.channelCount();
    FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(target.toFile(), channels);
    recorder.setFormat("mp3");
    recorder.setAudioCodec(AV_CODEC_ID_MP3);
    recorder.setAudioCodecName("libmp3lame");
    recorder.setSampleFormat(AV_SAMPLE_FMT_FLTP);
    recorder.setSampleRate(clip.sampleRate());
    recorder.setAudioChannels(channels);
    recorder.setAudioBitrate(kbps * 1000);
    recorder.setAudioOption("compression_level", Integer.toString(lame.quality())); // libmp3lame passes it to lame_set_quality
    recorder.setAudioOption("joint_stereo", lame.jointStereo() ? "1" : "0");
    try {
      recorder.start();
      for (int at = 0; at < clip.frames(); at += CHUNK) {
        int n = Math.min(CHUNK, clip.frames() - at);
        FloatBuffer[] planes = new FloatBuffer[channels];
        // Position and limit mark the chunk: JavaCV copies from array() at position(), ignoring
        // arrayOffset(), so a slice() would feed the song's first chunk over and over.
        for (int c = 0; c < channels; c++) planes[c] = FloatBuffer.wrap(clip.channels()[c], at, n);
        recorder.recordSamples(clip.sampleRate(), channels, planes);
      }
      recorder.stop();
    } finally {
      recorder.release();
    }
    return Files.size(target);
  }
}
