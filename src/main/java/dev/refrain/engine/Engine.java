package dev.refrain.engine;

import dev.refrain.core.TaskInput;
import dev.refrain.core.TaskType;
import java.util.List;
import java.util.Optional;

/**
 * Makes the music for a task. An engine owns its capacity: the dispatcher claims a task only
 * once {@link #acquire} hands it a slot, so work waits in the durable queue, never inside an
 * engine, and no engine or backend is ever over-committed.
 */
public interface Engine {
  /** The name used in configuration and in task logs, e.g. `preview`. */
  String name();

  boolean serves(TaskType type);

  /**
   * The fields of {@code input} this engine leaves unused, each as a line for the task's logs that
   * says why: no field a client sends is dropped without a word.
   */
  default List<String> unused(TaskInput input) {
    return List.of();
  }

  /**
   * How many tasks could start now, at most (on a cluster other nodes may take shared slots
   * first): the dispatcher claims no more, and none when it is 0.
   */
  int freeSlots();

  /** A slot to run the claimed task now, or empty when every fitting one is busy. Never waits on other nodes. */
  Optional<Slot> acquire(Claim claim);

  /**
   * Renders the job on a slot from {@link #acquire}; the caller closes the slot afterwards.
   * Blocking; honours {@link EngineContext#checkCancelled()} and thread interrupts. Output length:
   * txt2audio the job's duration; audio2audio and edit the source's length; extend left + source +
   * right, with the source samples untouched in the middle.
   */
  EngineOutput render(EngineJob job, Slot slot, EngineContext ctx) throws Exception;
}
