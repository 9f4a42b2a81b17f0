package dev.refrain.audio;

/**
 * Decoded PCM audio: planar float samples in [-1, 1], one array per channel, all the same length.
 * The unit every engine takes and returns; encoders and decoders convert at the edges.
 */
public record AudioClip(int sampleRate, float[][] channels) {
  public AudioClip {
    if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be positive");
    if (channels.length == 0) throw new IllegalArgumentException("at least one channel");
    for (float[] c : channels) {
      if (c.length != channels[0].length) throw new IllegalArgumentException("channels differ in length");
    }
  }

  public static AudioClip silence(int sampleRate, int channelCount, int frames) {
    return new AudioClip(sampleRate, new float[channelCount][frames]);
  }

  public int frames() {
    return channels[0].length;
  }

  public int channelCount() {
    return channels.length;
  }

  /** Exact duration in seconds, from the sample count. */
  public double seconds() {
    return frames() / (double) sampleRate;
  }
}
