package dev.refrain.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refrain.testing.RunsOnce;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Runs once, in the default execution: no store is involved.
@RunsOnce
class DecoderPoolTest {
  private static final byte[] FLAC = TestAudio.encoded("flac", TestAudio.tone(2, 44100, 2, 440));
  /** Workers of other tests' servers in this JVM, alive before this test began. */
  private Set<Long> others;

  @BeforeEach
  void noteOthers() {
    others = allWorkers().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  @Test
  void decodesExactlyAsTheDecoderDoesInProcess() throws Exception {
    try (DecoderPool pool = pool(Duration.ofSeconds(60))) {
      AudioClip isolated = pool.decode(FLAC, 600);
      AudioClip local = AudioDecoder.decode(FLAC, 600);
      assertThat(isolated.sampleRate()).isEqualTo(local.sampleRate());
      for (int c = 0; c < 2; c++) AudioDecoderTest.assertSameSamples(isolated.channels()[c], local.channels()[c]);
    }
  }

  @Test
  void aRefusalKeepsTheWorkerAndSaysWhy() throws Exception {
    try (DecoderPool pool = pool(Duration.ofSeconds(60))) {
      pool.decode(FLAC, 600);
      long worker = workers().getFirst().pid();
      assertThatThrownBy(() -> pool.decode(Crafted.wav(2, 655_350, 100), 600))
          .isInstanceOf(AudioException.class).hasMessage("a sample rate of 655350 Hz is not supported (8000 to 384000 Hz)");
      assertThatThrownBy(() -> pool.decode(FLAC, 1)).isInstanceOf(AudioException.class).hasMessage("longer than 1 s");
      assertThat(pool.decode(FLAC, 600).seconds()).isEqualTo(2.0);
      assertThat(workers()).extracting(ProcessHandle::pid).containsExactly(worker);
    }
  }

  @Test
  void aWorkerThatCrashesCostsOneDecodeAndIsReplaced() throws Exception {
    try (DecoderPool pool = pool(Duration.ofSeconds(60))) {
      pool.decode(FLAC, 600);
      long worker = workers().getFirst().pid();
      // Freeze the worker; once the next decode is surely inside it, crash it as native code would.
      signal("STOP", worker);
      byte[] big = Crafted.wav(2, 48_000, 48_000 * 60);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread decode = Thread.ofPlatform().start(() -> {
        try {
          pool.decode(big, 600);
        } catch (Exception e) {
          failure.set(e);
        }
      });
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (Arrays.stream(decode.getStackTrace()).noneMatch(f -> f.getClassName().endsWith("DecoderPool$Worker"))) {
        assertThat(System.nanoTime()).as("the decode reached the worker").isLessThan(end);
        Thread.sleep(10);
      }
      signal("SEGV", worker);
      signal("CONT", worker);
      decode.join(30_000);
      assertThat(failure.get()).isInstanceOf(AudioException.class).hasMessage("the audio could not be decoded: the decoder crashed on it");

      assertThat(pool.decode(FLAC, 600).seconds()).isEqualTo(2.0);
      assertThat(workers()).extracting(ProcessHandle::pid).doesNotContain(worker).hasSize(1);
    }
  }

  @Test
  void aDecodeOverItsTimeIsKilled() throws Exception {
    // A cold worker cannot even start its JVM in 300 ms.
    try (DecoderPool pool = pool(Duration.ofMillis(300))) {
      assertThatThrownBy(() -> pool.decode(FLAC, 600))
          .isInstanceOf(AudioException.class).hasMessage("the audio could not be decoded: decoding took longer than 0.3 s");
      assertThat(workers()).isEmpty();
    }
  }

  @Test
  void closingStopsEveryWorker() throws Exception {
    DecoderPool pool = new DecoderPool(new DecoderPool.Settings(2, 256L << 20, Duration.ofSeconds(60)));
    CompletableFuture<?> a = CompletableFuture.runAsync(() -> decodeQuietly(pool));
    CompletableFuture<?> b = CompletableFuture.runAsync(() -> decodeQuietly(pool));
    CompletableFuture.allOf(a, b).get(60, TimeUnit.SECONDS);
    assertThat(workers()).hasSizeBetween(1, 2);
    pool.close();
    for (ProcessHandle w : workers()) w.onExit().get(10, TimeUnit.SECONDS);
    assertThat(workers()).isEmpty();
  }

  private static void decodeQuietly(DecoderPool pool) {
    try {
      pool.decode(FLAC, 600);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private static DecoderPool pool(Duration timeout) {
    return new DecoderPool(new DecoderPool.Settings(1, 256L << 20, timeout));
  }

  /** The decoder processes this test started. */
  private List<ProcessHandle> workers() {
    return allWorkers().stream().filter(p -> !others.contains(p.pid())).toList();
  }

  private static List<ProcessHandle> allWorkers() {
    return ProcessHandle.current().children()
        .filter(p -> p.isAlive() && commandLine(p).contains(DecoderWorker.class.getName()))
        .toList();
  }

  /** The whole command line (ProcessHandle.Info cuts long ones off). */
  private static String commandLine(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
    } catch (IOException e) {
      return ""; // gone meanwhile
    }
  }

  private static void signal(String name, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor()).isZero();
  }
}
