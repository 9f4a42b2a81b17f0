package dev.refrain.engine.backend;

import dev.refrain.core.Signal;
import java.time.Duration;
import java.util.List;

/**
 * Probes the backends this node may use at an interval, on its own thread, and tells the slots what
 * it found, so a backend out of rotation comes back once it passes, and one that stops answering
 * leaves. On a cluster each round of a backend goes to one node (see {@link Fleet#probeTurn}).
 */
final class HealthProbe implements AutoCloseable {
  private final List<Backend> backends;
  private final BackendSlots slots;
  private final Duration interval;
  private final Thread thread;
  private volatile boolean closed;

  HealthProbe(List<Backend> backends, BackendSlots slots, Duration interval) {
    this.backends = backends;
    this.slots = slots;
    this.interval = interval;
    this.thread = Thread.ofPlatform().daemon().name("backend-health").start(this::loop);
  }

  private void loop() {
    while (!closed) {
      Signal.pause(interval.toMillis());
      if (closed) return;
      for (Backend b : backends) {
        if (!slots.probeTurn(b, interval)) continue;
        try {
          b.client.checkHealth();
          slots.succeeded(b);
        } catch (BackendException e) {
          slots.failed(b, e.getMessage());
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          slots.failed(b, e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
