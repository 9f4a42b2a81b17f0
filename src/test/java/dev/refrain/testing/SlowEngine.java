package dev.refrain.testing;

import dev.refrain.config.Config;
import dev.refrain.core.TaskType;
import dev.refrain.engine.Engine;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import dev.refrain.engine.EngineOutput;
import dev.refrain.engine.EngineProvider;
import dev.refrain.engine.LocalEngine;
import dev.refrain.engine.preview.PreviewEngine;

/**
 * Test engine "slow": the preview engine after a pause of `SLOW_ENGINE_MILLIS` (default 3000),
 * so a crash test can kill the server while a task is surely running. With `SLOW_ENGINE_TONE=true`
 * it returns an 8 kHz tone of the asked length instead, for tests that run hundreds of tasks.
 */
public final class SlowEngine extends LocalEngine {
  private final PreviewEngine preview;

  SlowEngine(int concurrency, java.nio.file.Path scratch) {
    super(concurrency);
    this.preview = new PreviewEngine(1, scratch);
  }

  private final long millis = Long.parseLong(System.getenv().getOrDefault("SLOW_ENGINE_MILLIS", "3000"));
  private final boolean tone = Boolean.parseBoolean(System.getenv("SLOW_ENGINE_TONE"));

  @Override
  public String name() {
    return "slow";
  }

  @Override
  public boolean serves(TaskType type) {
    return true;
  }

  @Override
  public EngineOutput render(EngineJob job, EngineContext ctx) throws Exception {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      ctx.checkCancelled();
      ctx.progress(0.1, "warming up");
      Thread.sleep(20);
    }
    return tone && job.type() == TaskType.TXT2AUDIO ? GateEngine.tone(job.duration()) : preview.render(job, ctx);
  }

  /** Registered through META-INF/services in the test classpath only. */
  public static final class Provider implements EngineProvider {
    @Override
    public String name() {
      return "slow";
    }

    @Override
    public Engine create(Config config) {
      return new SlowEngine(config.engineConcurrency(), config.scratchDir());
    }
  }
}
