package dev.refrain.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `refrain task wait ID [--timeout S]`. */
@Command(name = "wait",
    description = {"Wait for a task to end, with a progress bar on stderr, then show it.",
        "Exit status: 0 completed, 1 failed, 2 usage error, 3 timed out, 4 server or connection error."})
final class WaitTask extends TaskSubcommand {
  @Parameters(paramLabel = "ID", description = "the task's id")
  String id;

  @Option(names = "--timeout", paramLabel = "S", description = "give up after S seconds (exit status 3)")
  Double timeout;

  @Override
  public Integer call() {
    var limit = timeout(timeout);
    return finish(follow(client(), id, limit));
  }
}
