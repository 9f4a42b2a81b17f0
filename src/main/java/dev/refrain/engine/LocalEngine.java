package dev.refrain.engine;

import java.util.Optional;
import java.util.concurrent.Semaphore;

/** An engine that renders in this process: its capacity is a fixed number of concurrent renders. */
public abstract class LocalEngine implements Engine {
  private final Semaphore free;

  protected LocalEngine(int concurrency) {
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
    this.free = new Semaphore(concurrency);
  }

  /** Renders the job; see {@link Engine#render}. */
  protected abstract EngineOutput render(EngineJob job, EngineContext ctx) throws Exception;

  @Override
  public final int freeSlots() {
    return free.availablePermits();
  }

  @Override
  public final Optional<Slot> acquire(Claim claim) {
    if (!serves(claim.type()) || !free.tryAcquire()) return Optional.empty();
    return Optional.of(new Slot() {
      private boolean closed;

      @Override
      public String describe() {
        return name();
      }

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          free.release();
        }
      }
    });
  }

  @Override
  public final EngineOutput render(EngineJob job, Slot slot, EngineContext ctx) throws Exception {
    return render(job, ctx);
  }
}
