package dev.refrain.engine.backend;

import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskType;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Talks to one kind of backend server: maps a job onto its API and brings back the audio. */
public interface BackendClient {
  /** The task types this kind of backend serves unless configured otherwise. */
  Set<TaskType> supports();

  /** Task types only some builds of this kind can serve: used only when the operator lists them. */
  default Set<TaskType> optIn() {
    return Set.of();
  }

  /**
   * Runs the job to its end on the backend, by {@code deadline}. Reports progress and what it
   * sent through {@code ctx}; stops (and tells the backend, where it can) once ctx is cancelled.
   */
  Audio run(EngineJob job, EngineContext ctx, Instant deadline) throws BackendException, InterruptedException;

  /**
   * The input fields of {@code job} this kind of backend cannot take, each with why; the pool names
   * them in the task's logs once the backend is chosen.
   */
  default Map<String, String> unused(EngineJob job) {
    return Map.of();
  }

  /** A quick health probe; throws with the reason when the backend is not fit to take work. */
  void checkHealth() throws BackendException, InterruptedException;

  /** What `refrain backends check` prints about the backend beyond health: models, pipelines, queue. */
  List<String> describe() throws BackendException, InterruptedException;

  /** The backend's result: encoded audio, in the format it says (the pool checks the bytes anyway). */
  record Audio(byte[] data, OutputFormat format) {}
}
