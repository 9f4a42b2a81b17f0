package dev.refrain.engine.preview;

import dev.refrain.config.Config;
import dev.refrain.engine.Engine;
import dev.refrain.engine.EngineProvider;

/** Registers the {@code preview} engine with the {@link java.util.ServiceLoader}. */
public final class PreviewEngineProvider implements EngineProvider {
  @Override
  public String name() {
    return "preview";
  }

  @Override
  public Engine create(Config config) {
    return new PreviewEngine(config.engineConcurrency(), config.scratchDir());
  }
}
