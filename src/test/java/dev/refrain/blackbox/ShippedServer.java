package dev.refrain.blackbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./refrain serve} started in a copy of the project as a user starts it: the script builds what
 * it needs and then exec's the JVM in the same process. Its output (stdout and stderr together) goes
 * to a log file and is scanned for the first API key.
 */
final class ShippedServer implements AutoCloseable {
  private static final Pattern KEY = Pattern.compile("rk_[A-Za-z0-9_-]{20,}");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final Process process;
  final int port;
  final String base;
  final Path log;
  /** From the start to the exec of the JVM: the script's look for a JDK and, when needed, the build. */
  Duration untilJvm;
  /** Whether the script built (it says "refrain: building"). */
  volatile boolean built;
  /** From the start to the first 200 of /healthz. */
  Duration untilHealthy;
  /** The first API key it printed. */
  String key;

  private final CompletableFuture<String> firstKey = new CompletableFuture<>();
  private final Deque<String> tail = new ArrayDeque<>();

  private ShippedServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.base = "http://localhost:" + port;
    this.log = log;
  }

  /**
   * Starts {@code ./refrain serve} in {@code dir} with the user's environment plus {@code settings}
   * and REFRAIN_PORT, and waits (at most {@code limit}) until /healthz answers 200 and the first key
   * was printed.
   */
  static ShippedServer start(Path dir, Map<String, String> settings, Path log, Duration limit) throws Exception {
    int port = freePort();
    Map<String, String> env = new HashMap<>(settings);
    env.put("REFRAIN_PORT", Integer.toString(port));
    Files.createDirectories(log.getParent());
    long t0 = System.nanoTime();
    Process p = Processes.builder(dir, env, List.of("./refrain", "serve")).redirectErrorStream(true).start();
    p.getOutputStream().close();
    ShippedServer s = new ShippedServer(p, port, log);
    try {
      s.follow();
      s.awaitHealthy(t0, limit);
      s.key = s.firstKey.get(30, TimeUnit.SECONDS);
      return s;
    } catch (Exception | AssertionError e) {
      s.close();
      throw new AssertionError("./refrain serve did not come up: " + e.getMessage() + "\n" + s.tail(), e);
    }
  }

  private void follow() {
    Thread.ofPlatform().daemon().name("refrain-serve-output").start(() -> {
      boolean keyNext = false;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
        for (String line; (line = in.readLine()) != null; ) {
          out.println(line);
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 60) tail.removeFirst();
          }
          if (line.startsWith("refrain: building")) built = true;
          if (line.contains("Your first API key")) keyNext = true;
          Matcher m = KEY.matcher(line);
          if (keyNext && m.find()) {
            firstKey.complete(m.group());
            keyNext = false;
          }
        }
      } catch (IOException e) {
        // the process is gone; what it said is in the log
      }
      firstKey.completeExceptionally(new AssertionError("the output ended without a line with 'Your first API key' and an rk_ key"));
    });
  }

  private void awaitHealthy(long t0, Duration limit) throws InterruptedException {
    long end = t0 + limit.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) throw new AssertionError("it exited with status " + process.exitValue());
      if (untilJvm == null && isJava(ProcessHandle.of(process.pid()))) untilJvm = Duration.ofNanos(System.nanoTime() - t0);
      if (untilJvm != null && healthz() == 200) {
        untilHealthy = Duration.ofNanos(System.nanoTime() - t0);
        return;
      }
      Thread.sleep(untilJvm == null ? 100 : 200);
    }
    throw new AssertionError("no 200 from /healthz within " + limit);
  }

  private static boolean isJava(Optional<ProcessHandle> h) {
    return h.flatMap(p -> p.info().command()).map(c -> c.endsWith("/java")).orElse(false);
  }

  /** The status /healthz answers, or -1 when nothing answers. */
  int healthz() {
    try {
      HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/healthz")).timeout(Duration.ofSeconds(5)).build();
      return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The last lines it printed, for failure messages. */
  String tail() {
    synchronized (tail) {
      return "--- last lines of ./refrain serve (whole log: " + log + ")\n" + String.join("\n", tail);
    }
  }

  /** Whether its whole output so far contains {@code text}. */
  boolean printed(String text) throws IOException {
    return Files.readString(log).contains(text);
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) Processes.kill(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
