package dev.refrain.engine.backend.sim;

import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioDecoder;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.audio.AudioException;
import dev.refrain.core.OutputFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audio both simulators "generate": a soft A-major chord, 48 kHz stereo, exactly the asked number
 * of frames, encoded with the project's own {@link AudioEncoder}. Encoded results are cached by (frames,
 * format, bitrate) for the whole test JVM, because MP3 encoding runs at only ~40x real time and a test
 * asking for many 240 s results must not spend minutes encoding. The cache holds at most
 * {@link #CACHE_BYTES} bytes (oldest first out).
 */
public final class SimAudio {
  /** What both backends produce: ACE-Step's VAE decodes at 48 kHz, two channels. */
  public static final int SAMPLE_RATE = 48_000;

  static final long CACHE_BYTES = 384L << 20;

  private record Key(int frames, OutputFormat format, int kbps) {}

  private static final ConcurrentHashMap<Key, CompletableFuture<byte[]>> CACHE = new ConcurrentHashMap<>();
  private static final ConcurrentLinkedQueue<Key> ORDER = new ConcurrentLinkedQueue<>();
  private static final AtomicLong CACHED = new AtomicLong();

  private SimAudio() {}

  /** Frames for {@code seconds} at 48 kHz, rounded to the nearest frame. */
  public static int frames(double seconds) {
    return (int) Math.round(seconds * SAMPLE_RATE);
  }

  /** The encoded chord, {@code frames} long (MP3 at {@code kbps}, ignored for WAV and FLAC). Cached. */
  public static byte[] encoded(int frames, OutputFormat format, int kbps) {
    Key key = new Key(frames, format, format == OutputFormat.MP3 ? kbps : 0);
    CompletableFuture<byte[]> mine = new CompletableFuture<>();
    CompletableFuture<byte[]> f = CACHE.putIfAbsent(key, mine);
    if (f == null) {
      try {
        byte[] bytes = AudioEncoder.encode(chord(frames), format, kbps);
        mine.complete(bytes);
        ORDER.add(key);
        evict(CACHED.addAndGet(bytes.length));
        return bytes;
      } catch (RuntimeException e) {
        CACHE.remove(key, mine);
        mine.completeExceptionally(e);
        throw e;
      }
    }
    return f.join();
  }

  private static void evict(long total) {
    while (total > CACHE_BYTES) {
      Key oldest = ORDER.poll();
      if (oldest == null) return;
      CompletableFuture<byte[]> gone = CACHE.remove(oldest);
      total = gone == null ? CACHED.get() : CACHED.addAndGet(-gone.join().length);
    }
  }

  /** The raw chord as a clip (handy for tests that want to upload a source). */
  public static AudioClip chord(int frames) {
    float[] l = new float[frames];
    float[] r = new float[frames];
    double[] hz = {220.0, 277.18, 329.63};
    for (int k = 0; k < hz.length; k++) {
      // A rotating phasor instead of Math.sin per sample: minutes of audio stay cheap to make.
      double w = 2 * Math.PI * hz[k] / SAMPLE_RATE;
      double c = Math.cos(w);
      double s = Math.sin(w);
      double re = 1;
      double im = 0;
      float gainL = k == 2 ? 0.12f : 0.2f;
      float gainR = k == 0 ? 0.12f : 0.2f;
      for (int i = 0; i < frames; i++) {
        l[i] += (float) im * gainL;
        r[i] += (float) im * gainR;
        double nre = re * c - im * s;
        im = re * s + im * c;
        re = nre;
        if ((i & 0xFFFF) == 0xFFFF) { // renormalise so rounding never lets the amplitude drift
          double m = Math.hypot(re, im);
          re /= m;
          im /= m;
        }
      }
    }
    return new AudioClip(SAMPLE_RATE, new float[][] {l, r});
  }

  /** Length in seconds of an uploaded file, as the backends learn it: by decoding it. */
  public static double secondsOf(byte[] audio) throws AudioException {
    return AudioDecoder.decode(audio, 1200).seconds();
  }

  /** Decodes an uploaded file (both backends accept WAV and MP3, any rate). */
  public static AudioClip decode(byte[] audio) throws AudioException {
    return AudioDecoder.decode(audio, 1200);
  }
}
