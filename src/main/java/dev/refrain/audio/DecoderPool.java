package dev.refrain.audio;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes untrusted audio in child JVMs ({@link DecoderWorker}), so that whatever FFmpeg does with
 * hostile bytes (a crash, a runaway allocation, a loop) costs one decode, never the server. Workers
 * start on first use, are reused while they live, and are replaced when they die. Each has a heap
 * limit and each decode a time limit. Thread-safe.
 */
public final class DecoderPool implements AutoCloseable {
  /**
   * @param processes decoder processes at most, which is also how many decodes run at once
   * @param heapBytes each process's heap; a decoded clip may use a third of it
   * @param timeout longest one decode may take before its process is killed
   */
  public record Settings(int processes, long heapBytes, Duration timeout) {}

  private static final Logger log = LoggerFactory.getLogger(DecoderPool.class);
  private static final String WORDING = "the audio could not be decoded";

  private final Settings settings;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("decoder-timer").factory());
  private volatile boolean closed;

  public DecoderPool(Settings settings) {
    if (settings.processes() < 1) throw new IllegalArgumentException("processes must be at least 1");
    this.settings = settings;
    this.permits = new Semaphore(settings.processes(), true);
  }

  /**
   * Decodes {@code data} as {@link AudioDecoder#decode(byte[], int, long)} would, in a worker.
   * Every way the worker can fail on the input (refusal, crash, memory, time) is an
   * {@link AudioException} worded for the client.
   */
  public AudioClip decode(byte[] data, int maxSeconds) throws AudioException, InterruptedException {
    if (closed) throw new IllegalStateException("decoder pool closed");
    permits.acquire();
    try {
      Worker w = idle.pollFirst();
      // One that died idle (killed from outside) is not this input's fault: start another.
      if (w == null || !w.process.isAlive()) w = start();
      try {
        AudioClip clip = w.decode(data, maxSeconds, settings.heapBytes() / 3);
        idle.addFirst(w);
        return clip;
      } catch (AudioException e) {
        if (w.process.isAlive()) idle.addFirst(w); // a refusal leaves the worker fine
        throw e;
      }
    } finally {
      permits.release();
    }
  }

  private Worker start() throws AudioException {
    try {
      return new Worker(new ProcessBuilder(command())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
          .start());
    } catch (IOException e) {
      log.error("cannot start a decoder process", e);
      throw new AudioException(WORDING + ": no decoder process could be started");
    }
  }

  private List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.add("-Xmx" + Math.max(64, settings.heapBytes() >> 20) + "m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-XX:-CreateCoredumpOnCrash");
    cmd.add("-XX:ErrorFile=/dev/null"); // a crash report per hostile file would litter the disk
    cmd.add("--enable-native-access=ALL-UNNAMED");
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    cmd.add("-cp");
    // Absolute: the worker runs in the temp dir, so that whatever it leaves behind lands there.
    cmd.add(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator)));
    cmd.add(DecoderWorker.class.getName());
    return cmd;
  }

  /** Stops every worker; decodes in flight fail. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    Worker w;
    while ((w = idle.pollFirst()) != null) w.process.destroyForcibly();
  }

  /** One child process and its pipes. Used by one decode at a time. */
  private final class Worker {
    final Process process;
    final DataOutputStream to;
    final DataInputStream from;
    volatile boolean timedOut;

    Worker(Process process) {
      this.process = process;
      this.to = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
      this.from = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    }

    AudioClip decode(byte[] data, int maxSeconds, long maxBytes) throws AudioException {
      ScheduledFuture<?> deadline = timer.schedule(() -> {
        timedOut = true;
        process.destroyForcibly();
      }, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      try {
        to.writeInt(maxSeconds);
        to.writeLong(maxBytes);
        to.writeInt(data.length);
        to.write(data);
        to.flush();
        return switch (from.readByte()) {
          case DecoderWorker.CLIP -> readClip(maxSeconds);
          case DecoderWorker.REFUSED -> throw new AudioException(from.readUTF());
          default -> throw died("it answered out of protocol");
        };
      } catch (IOException e) {
        throw died(e.getMessage());
      } finally {
        deadline.cancel(false);
      }
    }

    private AudioClip readClip(int maxSeconds) throws IOException, AudioException {
      int rate = from.readInt();
      int channels = from.readInt();
      int frames = from.readInt();
      // The worker is ours, but it decoded hostile bytes: its sizes are checked before they size arrays.
      if (rate < 1 || rate > AudioDecoder.MAX_OUTPUT_RATE || channels < 1 || channels > 2 || frames < 1
          || frames > (long) maxSeconds * rate) {
        throw died("it answered " + rate + " Hz, " + channels + " channels, " + frames + " frames");
      }
      float[][] pcm = new float[channels][frames];
      byte[] chunk = new byte[1 << 16];
      ByteBuffer view = ByteBuffer.wrap(chunk);
      for (float[] channel : pcm) {
        for (int at = 0; at < frames; ) {
          int n = Math.min(chunk.length / 4, frames - at);
          from.readFully(chunk, 0, n * 4);
          view.clear();
          view.asFloatBuffer().get(channel, at, n);
          at += n;
        }
      }
      return new AudioClip(rate, pcm);
    }

    /** Ends this worker and words why for the client; the cause goes to the log. */
    private AudioException died(String detail) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (timedOut) {
        return new AudioException(WORDING + ": decoding took longer than " + settings.timeout().toMillis() / 1000.0 + " s");
      }
      String exit = process.isAlive() ? "still running" : describe(process.exitValue());
      log.warn("decoder process {} stopped on an input ({}; {}); the next decode starts a new one", process.pid(), exit, detail);
      return new AudioException(exit.startsWith("out of memory")
          ? WORDING + ": decoding it needs more memory than a decoder may use"
          : WORDING + ": the decoder crashed on it");
    }
  }

  private static String describe(int exit) {
    if (exit == 3) return "out of memory";
    return exit > 128 ? "killed by signal " + (exit - 128) : "exit " + exit;
  }
}
