package dev.refrain.engine.backend;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioException;
import dev.refrain.audio.AudioSniffer;
import dev.refrain.audio.Container;
import dev.refrain.audio.DecoderPool;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskType;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the audio a backend returns before it becomes a task's output. A backend is not trusted:
 * audio that does not decode, or is not what was asked, fails the attempt.
 */
final class BackendAudio {
  private final DecoderPool decoders;
  private final int maxSeconds;

  BackendAudio(DecoderPool decoders, int maxSeconds) {
    this.decoders = decoders;
    this.maxSeconds = maxSeconds;
  }

  /** Measures the audio by decoding it; keeps the bytes when they are already in the format the client asked for. */
  EngineOutput verify(EngineJob job, BackendClient.Audio audio, EngineContext ctx) throws BackendException.Failed, InterruptedException {
    long t0 = System.nanoTime();
    AudioClip clip;
    try {
      clip = decoders.decode(audio.data(), maxSeconds);
    } catch (AudioException e) {
      throw new BackendException.Failed("the backend's audio could not be decoded: " + e.getMessage());
    }
    Optional<Container> container = AudioSniffer.sniff(audio.data());
    OutputFormat got = container.map(c -> switch (c) {
      case MP3 -> OutputFormat.MP3;
      case WAV -> OutputFormat.WAV;
      case FLAC -> OutputFormat.FLAC;
      default -> null;
    }).orElse(null);
    ctx.log(String.format(Locale.ROOT, "backend audio: %s, %.3f s, %d Hz, %d channel(s), decoded in %d ms",
        container.map(Enum::name).orElse("?").toLowerCase(Locale.ROOT), clip.seconds(), clip.sampleRate(), clip.channelCount(),
        (System.nanoTime() - t0) / 1_000_000));
    if (job.type() == TaskType.EXTEND) {
      double expected = job.sourceAudio().seconds() + job.leftExtend() + job.rightExtend();
      if (Math.abs(clip.seconds() - expected) > 0.5) {
        throw new BackendException.Failed(String.format(Locale.ROOT, "the backend returned %.1f s for an extend to %.1f s: its repaint"
            + " does not extend audio; take extend off its task types", clip.seconds(), expected));
      }
    }
    if (job.type() == TaskType.TXT2AUDIO && clip.seconds() + 0.05 < job.duration()) {
      ctx.log(String.format(Locale.ROOT, "the backend returned %.1f s of the %.1f s asked (its memory tier clamps durations)",
          clip.seconds(), job.duration()));
    }
    return got == job.format() ? new EngineOutput.Encoded(audio.data(), got, clip.seconds()) : new EngineOutput.Pcm(clip);
  }
}
