package dev.refrain.engine.backend.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.refrain.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What both simulators share: a real HTTP server on 127.0.0.1 (the JDK's, one virtual thread per
 * exchange so a hanging request never blocks another), the failure knobs tests script, and the
 * counters tests read. None of the knobs below is backend behaviour; each says which real-world event
 * it stands for.
 *
 * @param <S> the concrete simulator, so knobs chain
 */
public abstract class BackendSimulator<S extends BackendSimulator<S>> implements AutoCloseable {
  /** Thrown inside a handler whose process "died": the JDK server then drops the connection. */
  static final class Died extends RuntimeException {
    Died() {
      super("simulated backend died", null, false, false);
    }
  }

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<Thread> inFlight = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile HttpServer http;
  private volatile int port;
  private volatile boolean up;
  private volatile boolean closed;
  private volatile int epoch;

  // knobs
  private volatile boolean hang;
  private volatile boolean healthy = true;
  private volatile boolean[] healthPattern;
  private final AtomicInteger healthCalls = new AtomicInteger();
  private volatile Duration serviceFixed = Duration.ofMillis(20);
  private volatile Duration servicePerAudioSecond = Duration.ZERO;
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile boolean dieDuringNextJob;
  private volatile Duration reviveAfter;

  // counters
  private final AtomicInteger jobsStarted = new AtomicInteger();
  private final AtomicInteger jobsFinished = new AtomicInteger();
  private final AtomicInteger jobsFailed = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger maxHeld = new AtomicInteger();
  private final AtomicInteger busy = new AtomicInteger();
  private final Map<String, AtomicInteger> byAuthorization = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();
  private volatile JsonNode lastRequest;
  private volatile byte[] lastAudio;

  protected BackendSimulator(int port) {
    this.port = port;
  }

  @SuppressWarnings("unchecked")
  protected final S self() {
    return (S) this;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Binds and starts serving (port 0 picks a free one, kept for every {@link #revive()}). */
  protected final synchronized S startServer() {
    if (closed) throw new IllegalStateException("closed");
    if (up) return self();
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      s.setExecutor(executor);
      s.createContext("/", this::dispatch);
      s.start();
      port = s.getAddress().getPort();
      http = s;
      up = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
    }
    return self();
  }

  /** {@code http://127.0.0.1:<port>}, no trailing slash. Stays the same across {@link #revive()}. */
  public final String url() {
    return "http://127.0.0.1:" + port;
  }

  public final int port() {
    return port;
  }

  /** Whether the process is up (not {@link #die() dead} and not closed). */
  public final boolean isUp() {
    return up;
  }

  /**
   * The process dies: the listening socket closes, every in-flight connection is dropped without an
   * answer (the client sees a reset or EOF, not an HTTP status), and all in-memory state (queue, jobs,
   * the GPU lock) is lost. New connections are refused until {@link #revive()}.
   */
  public final void die() {
    HttpServer s;
    synchronized (this) {
      if (!up) return;
      up = false;
      epoch++;
      s = http;
      http = null;
    }
    for (Thread t : inFlight) t.interrupt();
    synchronized (gate) {
      gate.notifyAll();
    }
    s.stop(0);
    onDeath();
  }

  /** The process comes back on the same port with empty state, as after a supervisor restart. */
  public final synchronized S revive() {
    if (up || closed) return self();
    onRevive();
    return startServer();
  }

  /** Dies for good and releases the port and threads. */
  @Override
  public final void close() {
    closed = true;
    die();
    executor.shutdownNow();
  }

  /** Bumped at every death: work belonging to an older epoch must not touch the new process. */
  protected final int epoch() {
    return epoch;
  }

  /** Drops every piece of in-memory state (the process died). */
  protected abstract void onDeath();

  /** Called before the new process starts listening. */
  protected void onRevive() {}

  // ---------------------------------------------------------------- knobs

  /**
   * Never answer: every request (health included) is accepted, read, and then left hanging with no
   * response until this is switched off (then it proceeds normally) or the process dies (then the
   * connection drops). Mimics a wedged process: a GPU driver hang, a deadlocked worker.
   */
  public final S hang(boolean on) {
    hang = on;
    synchronized (gate) {
      gate.notifyAll();
    }
    return self();
  }

  /**
   * Whether the health endpoint reports healthy. Not documented backend behaviour (both health
   * endpoints answer a fixed "ok" while the process lives); it stands for a proxy or supervisor in
   * front of a sick backend answering 503. Clears any {@link #healthFlap} pattern.
   */
  public final S healthy(boolean ok) {
    healthy = ok;
    healthPattern = null;
    return self();
  }

  /** Flapping health: successive health checks follow {@code pattern} (true = healthy), cyclically. */
  public final S healthFlap(boolean... pattern) {
    if (pattern.length == 0) throw new IllegalArgumentException("empty pattern");
    healthCalls.set(0);
    healthPattern = pattern.clone();
    return self();
  }

  /**
   * How long one job keeps the GPU: {@code fixed} plus {@code perAudioSecond} for every second of
   * audio it produces (a real backend's time grows with the duration). Default 20 ms + 0.
   */
  public final S serviceTime(Duration fixed, Duration perAudioSecond) {
    serviceFixed = fixed;
    servicePerAudioSecond = perAudioSecond;
    return self();
  }

  /** Shorthand for a fixed service time, whatever the duration. */
  public final S serviceTime(Duration fixed) {
    return serviceTime(fixed, Duration.ZERO);
  }

  /** The next {@code n} jobs fail the way this backend fails a generation (see each simulator). */
  public final S failNext(int n) {
    failNext.set(n);
    return self();
  }

  /**
   * The process dies halfway through the next job's service time (a CUDA OOM kill, a segfault), as
   * {@link #die()} does; it comes back on the same port after {@code reviveAfter}, or stays down when
   * that is null.
   */
  public final S dieDuringNextJob(Duration reviveAfter) {
    this.reviveAfter = reviveAfter;
    dieDuringNextJob = true;
    return self();
  }

  // ---------------------------------------------------------------- counters

  /** Jobs that reached the GPU (began their service time). */
  public final int jobsStarted() {
    return jobsStarted.get();
  }

  /** Jobs that ended, succeeded or failed (a job lost to a death never ends). */
  public final int jobsFinished() {
    return jobsFinished.get();
  }

  /** Jobs that ended in failure. */
  public final int jobsFailed() {
    return jobsFailed.get();
  }

  /** The most jobs ever on the GPU at once: 1 for a well-behaved client of either backend. */
  public final int maxConcurrentJobs() {
    return maxConcurrent.get();
  }

  /** Jobs on the GPU now. */
  public final int jobsRunning() {
    return running.get();
  }

  /**
   * Jobs handed to this backend and not yet ended or lost, now: acestep-api's queued and running
   * ones, ace-server's running one. A job ends the moment its result can be read (acestep-api:
   * {@code /query_result} reports it; ace-server: before the answer is sent).
   */
  public final int jobsHeld() {
    return held.get();
  }

  /**
   * The most jobs ever handed to this backend and unfinished at once. With one slot: 1 for a
   * well-behaved client; more means jobs waited in acestep-api's queue, out of the client's reach.
   */
  public final int maxJobsHeld() {
    return maxHeld.get();
  }

  /** Requests refused as busy: ace-server's 503 for a GPU already taken, acestep-api's 429 for a full queue. */
  public final int busyAnswers() {
    return busy.get();
  }

  /**
   * Jobs handed to this backend, by the {@code Authorization} header of the request that handed
   * each ("" without one), whether or not the backend checks it: which client sent what.
   */
  public final Map<String, Integer> jobsByAuthorization() {
    return snapshot(byAuthorization);
  }

  /** Starts the two maxima over from the present values, so a measurement can leave out a warm-up. */
  public final S resetPeaks() {
    maxConcurrent.set(running.get());
    maxHeld.set(held.get());
    return self();
  }

  /** Requests received on {@code path} (any method, any outcome, dead-process ones excepted). */
  public final int requests(String path) {
    AtomicInteger n = byPath.get(path);
    return n == null ? 0 : n.get();
  }

  /** Every path requested so far, with its count. */
  public final Map<String, Integer> requestsByPath() {
    return snapshot(byPath);
  }

  private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
    Map<String, Integer> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** The fields of the last generation request as this backend parsed them (see each simulator). */
  public final JsonNode lastRequest() {
    return lastRequest;
  }

  /** The raw bytes of the last source audio received (null if the last request carried none). */
  public final byte[] lastAudioBytes() {
    return lastAudio;
  }

  // ---------------------------------------------------------------- for subclasses

  protected final void recordRequest(JsonNode fields, byte[] audio) {
    lastRequest = fields;
    lastAudio = audio;
  }

  protected final boolean healthyNow() {
    boolean[] p = healthPattern;
    if (p == null) return healthy;
    return p[Math.floorMod(healthCalls.getAndIncrement(), p.length)];
  }

  /** Takes one from the fail-next budget. */
  protected final boolean consumeFailure() {
    return failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** A job was handed over (taken into the queue, or straight onto the GPU): it is held until it ends or is lost. */
  protected final void jobAccepted(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    byAuthorization.computeIfAbsent(auth == null ? "" : auth, k -> new AtomicInteger()).incrementAndGet();
    int now = held.incrementAndGet();
    maxHeld.accumulateAndGet(now, Math::max);
  }

  /** A request was refused as busy. */
  protected final void busyAnswered() {
    busy.incrementAndGet();
  }

  protected final void jobStarted() {
    jobsStarted.incrementAndGet();
    int now = running.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
  }

  protected final void jobEnded(boolean ok) {
    running.decrementAndGet();
    held.decrementAndGet();
    jobsFinished.incrementAndGet();
    if (!ok) jobsFailed.incrementAndGet();
  }

  /** A running job lost with its process: it stops counting as running and held, but never finishes. */
  protected final void jobLost() {
    running.decrementAndGet();
    held.decrementAndGet();
  }

  /** Accepted jobs lost with their process before they reached the GPU. */
  protected final void queuedJobsLost(int n) {
    held.addAndGet(-n);
  }

  /**
   * Spends the service time for {@code audioSeconds} of output, reporting progress in [0, 1] along
   * the way; honours {@link #dieDuringNextJob}. Throws {@link InterruptedException} when the process
   * dies meanwhile.
   */
  protected final void serve(double audioSeconds, java.util.function.DoubleConsumer progress)
      throws InterruptedException {
    long total = serviceFixed.toNanos() + (long) (servicePerAudioSecond.toNanos() * audioSeconds);
    boolean dying = dieDuringNextJob;
    if (dying) dieDuringNextJob = false;
    int steps = 4;
    for (int i = 0; i < steps; i++) {
      if (dying && i == steps / 2) {
        int e = epoch;
        Duration back = reviveAfter;
        Thread.ofVirtual().start(() -> {
          die();
          if (back == null) return;
          try {
            Thread.sleep(back);
            if (!closed && epoch == e + 1) revive();
          } catch (InterruptedException ignored) {
            // closing
          }
        });
        Thread.sleep(Long.MAX_VALUE); // interrupted by the death
      }
      sleepNanos(total / steps);
      progress.accept((i + 1) / (double) steps);
    }
  }

  private static void sleepNanos(long nanos) throws InterruptedException {
    if (nanos > 0) Thread.sleep(Duration.ofNanos(nanos));
  }

  /** Handles one exchange; the path has been counted and any hang waited out. */
  protected abstract void handle(HttpExchange ex, String method, String path) throws Exception;

  private void dispatch(HttpExchange ex) throws IOException {
    Thread me = Thread.currentThread();
    int myEpoch = epoch;
    if (!up || myEpoch != epoch) throw new Died();
    inFlight.add(me);
    try {
      String path = ex.getRequestURI().getPath();
      byPath.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
      synchronized (gate) {
        while (hang && up && epoch == myEpoch) gate.wait();
      }
      if (!up || epoch != myEpoch) throw new Died();
      handle(ex, ex.getRequestMethod(), path);
    } catch (InterruptedException | Died e) {
      throw new Died(); // the JDK server closes the connection of a handler that throws
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("simulator bug", e);
    } finally {
      inFlight.remove(me);
      Thread.interrupted(); // virtual threads are not pooled, but be tidy
    }
  }

  // ---------------------------------------------------------------- HTTP helpers

  protected static byte[] readBody(HttpExchange ex, long limit) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
      if (b.length > limit) return null;
      return b;
    }
  }

  protected static void send(HttpExchange ex, int status, String contentType, byte[] body, String... headers)
      throws IOException {
    if (contentType != null) ex.getResponseHeaders().set("Content-Type", contentType);
    for (int i = 0; i + 1 < headers.length; i += 2) ex.getResponseHeaders().set(headers[i], headers[i + 1]);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }

  protected static void sendJson(HttpExchange ex, int status, Object json, String... headers) throws IOException {
    send(ex, status, "application/json", Json.bytes(json), headers);
  }
}
