package dev.refrain.cli;

import dev.refrain.audio.DecoderPool;
import dev.refrain.config.Config;
import dev.refrain.engine.backend.BackendPool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** `refrain backends check`: what each configured GPU backend says of itself, before a server relies on it. */
@Command(name = "backends", description = "Probe the configured GPU backends (refrain backends check).")
final class BackendsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
  boolean help;

  @Override
  public Integer call() {
    throw CliError.usage("usage: refrain backends check");
  }

  @Command(name = "check", description = "Ask every configured backend for its health, its stats and the task types it serves.")
  int check() {
    PrintWriter out = spec.commandLine().getOut();
    Config config = Config.load();
    if (config.backends().isEmpty()) {
      out.println("no backends configured: every task type is served by the " + config.engine() + " engine");
      out.println("(configure one with REFRAIN_BACKEND_<NAME>_KIND and REFRAIN_BACKEND_<NAME>_URL; see the README)");
      return 0;
    }
    try (DecoderPool decoders = new DecoderPool(new DecoderPool.Settings(1, config.decoderMemoryBytes(), config.decodeTimeout()));
        BackendPool pool = new BackendPool(config.backends(), decoders, new BackendPool.Settings(config.backendAttempts(),
        config.backendHealthInterval(), config.backendPollInterval(), config.maxDurationSeconds(), config.nodeName()),
        new SimpleMeterRegistry(), null)) { // a check has no one to report meters to, and leases nothing
      for (String line : pool.check()) out.println(line);
    }
    return 0;
  }
}
