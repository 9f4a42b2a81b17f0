package dev.refrain.engine;

import dev.refrain.task.TaskType;

/**
 * Makes the music for a task. Implementations are thread-safe: the dispatcher calls {@link #render}
 * from as many threads at once as the engine's configured concurrency.
 */
public interface Engine {
  /** The name used in configuration and in task logs, e.g. `preview`. */
  String name();

  boolean serves(TaskType type);

  /**
   * Renders the job. Blocking; honours {@link EngineContext#checkCancelled()} and thread interrupts.
   * Output length: txt2audio the job's duration; audio2audio and edit the source's length;
   * extend left + source + right, with the source samples untouched in the middle.
   */
  EngineOutput render(EngineJob job, EngineContext ctx) throws Exception;
}
