package dev.refrain.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `refrain serve`: the server itself, which lives above this package; the caller hands it in. */
@Command(name = "serve", description = "Start the server (by default SQLite and files in ./data, the preview engine, port 8080).")
final class ServeCommand implements Callable<Integer> {
  private final Callable<Integer> serve;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  ServeCommand(Callable<Integer> serve) {
    this.serve = serve;
  }

  @Override
  public Integer call() throws Exception {
    return serve.call();
  }
}
