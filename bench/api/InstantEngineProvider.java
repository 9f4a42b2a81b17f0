package dev.refrain.bench;

import dev.refrain.config.Config;
import dev.refrain.engine.Engine;
import dev.refrain.engine.EngineProvider;

/**
 * Registers the benchmark-only {@code instant} engine with the {@link java.util.ServiceLoader}.
 * bench/api/run writes META-INF/services/dev.refrain.engine.EngineProvider naming this class into
 * the bench's classes folder (target/bench/classes), never into src/.
 */
public final class InstantEngineProvider implements EngineProvider {
  @Override
  public String name() {
    return "instant";
  }

  @Override
  public Engine create(Config config) {
    return new InstantEngine(config.engineConcurrency());
  }
}
