package dev.refrain.cli;

import dev.refrain.core.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `refrain task cancel ID`. */
@Command(name = "cancel", description = "Cancel a pending or running task: it ends failed, and is not charged.")
final class CancelTask extends TaskSubcommand {
  @Parameters(paramLabel = "ID", description = "the task's id")
  String id;

  @Override
  public Integer call() {
    String message = client().cancel(id);
    out().println(json ? Json.write(Json.object().put("task_id", id).put("message", message)) : message);
    return 0;
  }
}
