package dev.refrain.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * `refrain task ...`: tasks from the command line, over the HTTP API of a Refrain server (or
 * PiAPI). Exit status: 0 done (a waited-for task completed), 1 the task failed, 2 a usage error,
 * 3 a wait timed out, 4 the server refused or could not be reached.
 */
@Command(name = "task", description = "Create, follow and fetch music generation tasks.",
    subcommands = {CreateTask.class, GetTask.class, WaitTask.class, CancelTask.class, ListTasks.class, DownloadTask.class},
    footer = {"", "The server is --url or $REFRAIN_URL (default http://127.0.0.1:8080); the key --key or $REFRAIN_API_KEY.",
        "Exit status: 0 ok, 1 task failed, 2 usage error, 3 timed out, 4 server or connection error."})
final class TaskCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required: create, get, wait, cancel, list or download");
  }
}
