import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.audio.DecoderPool;
import dev.refrain.core.OutputFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/** Run by bench/decode/run: in-process decoding against DecoderPool's child processes. */
public final class DecodeBench {
  interface Decode {
    AudioClip run(byte[] data) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    AudioClip song = song(240, 44100);
    DecoderPool.Settings settings = new DecoderPool.Settings(1, 1L << 30, Duration.ofSeconds(60));
    try (DecoderPool pool = new DecoderPool(settings)) {
      System.out.printf("%-6s %9s   %12s %12s   %8s %9s%n", "format", "size", "in process", "isolated", "ratio", "overhead");
      for (OutputFormat f : OutputFormat.values()) {
        byte[] file = AudioEncoder.encode(song, f, 192);
        double local = median(runs, data -> AudioDecoder.decode(data, 600), file);
        double isolated = median(runs, data -> pool.decode(data, 600), file);
        System.out.printf("%-6s %7.1f MB   %9.0f ms %9.0f ms   %7.2fx %+6.0f ms%n", f.extension(), file.length / 1e6,
            local, isolated, isolated / local, isolated - local);
      }
    }
    try (DecoderPool cold = new DecoderPool(settings)) {
      byte[] small = AudioEncoder.encode(song(1, 44100), OutputFormat.MP3, 192);
      long t0 = System.nanoTime();
      cold.decode(small, 600);
      double first = (System.nanoTime() - t0) / 1e6;
      double warm = median(runs, data -> cold.decode(data, 600), small);
      System.out.printf("%nA fresh pool's first decode (1 s MP3, starting its worker JVM): %.0f ms; warm, the same file: %.1f ms%n", first, warm);
    }
  }

  private static double median(int runs, Decode decode, byte[] data) throws Exception {
    for (int i = 0; i < 2; i++) check(decode.run(data));
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      check(decode.run(data));
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[runs / 2];
  }

  private static void check(AudioClip clip) {
    if (clip.channelCount() != 2 || clip.seconds() < 0.9) throw new IllegalStateException("decoded " + clip.seconds() + " s");
  }

  /** Tones and noise: something an encoder cannot shrink to nothing. */
  private static AudioClip song(int seconds, int rate) {
    Random r = new Random(1);
    float[][] pcm = new float[2][seconds * rate];
    for (int i = 0; i < pcm[0].length; i++) {
      double t = i / (double) rate;
      double s = 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 331 * t * (1 + 0.01 * Math.sin(t)));
      pcm[0][i] = (float) (s + 0.05 * r.nextGaussian());
      pcm[1][i] = (float) (s * 0.8 + 0.05 * r.nextGaussian());
    }
    return new AudioClip(rate, pcm);
  }
}
