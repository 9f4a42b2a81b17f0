package dev.refrain.audio;

/**
 * Audio read in order, block by block, with its length known up front: lets a long render flow
 * into an encoder without ever holding the whole clip in memory. Single reader; close when done.
 */
public interface PcmStream extends AutoCloseable {
  int sampleRate();

  int channelCount();

  /** Total frames the stream delivers. */
  int frames();

  /**
   * Reads the next frames, at most {@code count}, into each channel of {@code out} from {@code offset}.
   * Returns how many were read: at least one until all {@link #frames()} are delivered, then 0.
   */
  int read(float[][] out, int offset, int count);

  /** Frees what the stream holds (a scratch file, native state). Idempotent. */
  @Override
  default void close() {}

  default double seconds() {
    return frames() / (double) sampleRate();
  }

  /** A clip as a stream. */
  static PcmStream of(AudioClip clip) {
    return new PcmStream() {
      private int at;

      @Override
      public int sampleRate() {
        return clip.sampleRate();
      }

      @Override
      public int channelCount() {
        return clip.channelCount();
      }

      @Override
      public int frames() {
        return clip.frames();
      }

      @Override
      public int read(float[][] out, int offset, int count) {
        int n = Math.min(count, clip.frames() - at);
        for (int c = 0; c < out.length; c++) System.arraycopy(clip.channels()[c], at, out[c], offset, n);
        at += n;
        return n;
      }
    };
  }

  /** Reads the whole stream into a clip and closes it. */
  static AudioClip readAll(PcmStream stream) {
    try (stream) {
      float[][] out = new float[stream.channelCount()][stream.frames()];
      for (int at = 0; at < out[0].length; ) {
        int n = stream.read(out, at, out[0].length - at);
        if (n <= 0) throw new IllegalStateException("stream ended early at frame " + at);
        at += n;
      }
      return new AudioClip(stream.sampleRate(), out);
    }
  }
}
