package dev.refrain.dispatch;

import dev.refrain.core.Signal;
import dev.refrain.core.TaskType;
import dev.refrain.engine.Claim;
import dev.refrain.engine.Engine;
import dev.refrain.engine.Slot;
import dev.refrain.storage.DiskSpace;
import dev.refrain.store.TaskRow;
import dev.refrain.task.TaskLogs;
import dev.refrain.task.Transitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Moves work from the durable queue (the tasks table) to engines. Per engine, a loop claims the
 * tasks the engine has free slots for, each under a lease this node renews by heartbeat. A
 * task whose lease runs out (its node died) is claimed again by whoever looks next. Wake-ups come
 * from {@link #signal()}, called in-process and, on PostgreSQL, for other nodes' commits too (see
 * Server); a slow poll catches expired leases, which no event announces.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final long POLL_MILLIS = 1_000;

  /** Settings the dispatcher needs. */
  public record Settings(Duration lease, int maxAttempts, int defaultMaxConcurrent) {}

  private record Running(Future<?> future, RunContext ctx) {}

  /** Tasks claimed in one go, at most: keeps each claim transaction short. */
  private static final int CLAIM_BATCH = 64;

  private final String node;
  private final Transitions transitions;
  private final TaskRunner runner;
  private final DiskSpace disk;
  private final Settings settings;
  private final Map<String, Engine> engines;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final Signal wake = new Signal();
  private volatile boolean stopping;
  private final List<Thread> threads = new ArrayList<>();

  Dispatcher(String node, Transitions transitions, TaskRunner runner, Settings settings, Map<String, Engine> engines, DiskSpace disk) {
    this.node = node;
    this.transitions = transitions;
    this.disk = disk;
    this.runner = runner;
    this.settings = settings;
    this.engines = Map.copyOf(engines);
    engines.values().forEach(engine ->
        threads.add(Thread.ofPlatform().daemon().name("dispatch-" + engine.name()).start(() -> loop(engine))));
    threads.add(Thread.ofPlatform().daemon().name("lease-heartbeat").start(this::heartbeats));
    threads.add(Thread.ofPlatform().daemon().name("progress-flush").start(this::flushes));
  }

  /** @param node this node's lease owner id, new at every start */
  public static Dispatcher start(String node, Transitions transitions, Settings settings, Map<String, Engine> engines,
      dev.refrain.fetch.SourceAudioLoader inputs, dev.refrain.storage.BlobStore blobs, dev.refrain.storage.Links links,
      dev.refrain.billing.Pricing pricing, DiskSpace disk, int maxDurationSeconds, int mp3Bitrate, java.nio.file.Path scratch,
      io.micrometer.core.instrument.MeterRegistry meters) {
    TaskRunner runner = new TaskRunner(engines, inputs, blobs, links, pricing, transitions, disk,
        new TaskRunner.Settings(maxDurationSeconds, mp3Bitrate, scratch), meters);
    return new Dispatcher(node, transitions, runner, settings, engines, disk);
  }

  /** Whether this node runs the engine and has a slot free for its next task now. */
  public boolean hasRoom(String engine) {
    Engine e = engines.get(engine);
    return e != null && !stopping && e.freeSlots() > 0 && disk.problem().isEmpty();
  }

  /** Something may be runnable: a task was created, or a slot freed. */
  public void signal() {
    wake.signal();
  }

  /** Stops a task this node runs (it was cancelled); the engine sees the flag and an interrupt. */
  public void cancelLocal(String taskId) {
    Running r = running.get(taskId);
    if (r != null) {
      r.ctx().cancel();
      r.future().cancel(true);
    }
  }

  private void loop(Engine engine) {
    long leaseMicros = settings.lease().toNanos() / 1_000;
    while (!stopping) {
      try {
        // Without room for outputs, tasks wait in the queue rather than fail one after another.
        int free = Math.min(CLAIM_BATCH, engine.freeSlots());
        List<Claimed> claimed = free == 0 || disk.problem().isPresent() ? List.of() : claim(engine, free, leaseMicros);
        for (Claimed c : claimed) {
          RunContext ctx = new RunContext(c.task().id(), node, transitions, TaskLogs.parse(c.task().logsJson()));
          // The map entry goes in before the task can finish, so the finally below always removes it.
          synchronized (ctx) {
            running.put(c.task().id(), new Running(workers.submit(() -> work(c, ctx)), ctx));
          }
        }
        if (claimed.isEmpty()) wake.await(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("dispatch loop for engine {} failed; retrying in 1 s", engine.name(), e);
        Signal.pause(1_000);
      }
    }
  }

  /** A claimed task and the engine slot it runs on. */
  private record Claimed(TaskRow task, Slot slot) {}

  /**
   * Claims what the engine has slots for, each slot taken in the claim's transaction; a slot taken
   * for a task that was not claimed after all is given back.
   */
  private List<Claimed> claim(Engine engine, int limit, long leaseMicros) {
    Map<String, Slot> reserved = new HashMap<>();
    Set<String> exhausted = new HashSet<>();
    try {
      List<TaskRow> won = transitions.claim(node, engine.name(), limit, leaseMicros, settings.defaultMaxConcurrent(),
          settings.maxAttempts(), (id, taskType, transaction) -> {
            Optional<Slot> slot = TaskType.fromWire(taskType)
                .flatMap(type -> engine.acquire(new Claim(type, id, transaction, exhausted)));
            // A claim whose transaction rolled back runs again (see Transitions#claim): the slot the
            // first run took for this task is given back before the next is kept.
            slot.ifPresent(s -> Optional.ofNullable(reserved.put(id, s)).ifPresent(Slot::close));
            return slot.isPresent();
          });
      return won.stream().map(t -> new Claimed(t, reserved.remove(t.id()))).toList();
    } finally {
      reserved.values().forEach(Slot::close); // admitted but not claimed after all, or rolled back
    }
  }

  private void work(Claimed c, RunContext ctx) {
    TaskRow t = c.task();
    // Everything logged while the task runs carries its id, so JSON logs can be filtered by task.
    MDC.put("task_id", t.id());
    try {
      runner.run(t, c.slot(), ctx, node, () -> stopping);
    } catch (TaskRunner.Abandoned e) {
      log.info("task {} left to be retried after restart", t.id());
    } catch (RuntimeException e) {
      log.error("task {} could not be finished", t.id(), e);
    } finally {
      MDC.remove("task_id");
      synchronized (ctx) {
        running.remove(t.id());
      }
      c.slot().close();
      signal();
    }
  }

  /**
   * Writes progress an engine reported inside a context's quiet interval and then went silent on
   * (a stage announced before a long wait, say), so followers see it within a moment.
   */
  private void flushes() {
    while (!stopping) {
      Signal.pause(RunContext.MIN_WRITE_INTERVAL_MILLIS);
      for (Running r : running.values()) {
        try {
          r.ctx().flush();
        } catch (RuntimeException e) {
          log.warn("writing a task's progress failed", e);
        }
      }
    }
  }

  private void heartbeats() {
    long leaseMicros = settings.lease().toNanos() / 1_000;
    long every = Math.max(50, settings.lease().toMillis() / 3);
    while (!stopping) {
      Signal.pause(every);
      try {
        Set<String> mine = Set.copyOf(running.keySet());
        if (mine.isEmpty()) continue;
        Set<String> held = transitions.heartbeat(node, mine, leaseMicros);
        for (String id : mine) {
          if (!held.contains(id)) cancelLocal(id); // cancelled, or taken over after we lost the lease
        }
      } catch (RuntimeException e) {
        log.error("lease heartbeat failed", e);
      }
    }
  }

  /** Stops claiming; running tasks are interrupted and their leases handed back, so the next start runs them at once. */
  @Override
  public void close() {
    stopping = true;
    signal();
    threads.forEach(Thread::interrupt);
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
      int released = transitions.releaseLeases(node);
      if (released > 0) log.info("handed back {} unfinished task(s) for the next start", released);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("could not hand back leases; they expire on their own", e);
    }
  }
}
