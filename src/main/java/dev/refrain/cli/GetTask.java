package dev.refrain.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `refrain task get ID`. */
@Command(name = "get", description = "Show a task: status, progress and stage, duration, audio_url, error.")
final class GetTask extends TaskSubcommand {
  @Parameters(paramLabel = "ID", description = "the task's id")
  String id;

  @Override
  public Integer call() {
    print(client().get(id));
    return 0;
  }
}
