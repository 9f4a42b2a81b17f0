package dev.refrain.engine;

/**
 * One unit of an engine's capacity, held by one task from claim to end: a CPU worker for an
 * in-process engine, a job place on one backend for a remote one. Closing gives it back.
 */
public interface Slot extends AutoCloseable {
  /** Where the task runs, for logs (e.g. `preview`, `acestep-api gpu1`). */
  String describe();

  @Override
  void close();
}
