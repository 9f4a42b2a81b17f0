package dev.refrain.engine;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.PcmStream;
import dev.refrain.core.OutputFormat;

/** What an engine hands back: PCM to be encoded, or audio already encoded with its measured length. */
public sealed interface EngineOutput {
  double seconds();

  record Pcm(AudioClip clip) implements EngineOutput {
    @Override
    public double seconds() {
      return clip.seconds();
    }
  }

  /** PCM produced as it is read, for outputs too long to hold in memory; the reader closes it. */
  record Stream(PcmStream pcm) implements EngineOutput {
    @Override
    public double seconds() {
      return pcm.seconds();
    }
  }

  /** Already-encoded audio whose duration was measured by decoding it. */
  record Encoded(byte[] data, OutputFormat format, double seconds) implements EngineOutput {}
}
