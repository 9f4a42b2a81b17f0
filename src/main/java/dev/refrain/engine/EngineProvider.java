package dev.refrain.engine;

import dev.refrain.config.Config;

/**
 * Discovered with {@link java.util.ServiceLoader}: the server's jar provides `preview`; test and
 * benchmark classpaths add their own (an instant engine for benchmarks, a slow one for crash tests).
 */
public interface EngineProvider {
  String name();

  Engine create(Config config);
}
