package dev.refrain.cli;

import dev.refrain.client.TaskApiException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
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
@Command(name = "refrain task", description = "Create, follow and fetch music generation tasks.",
    subcommands = {CreateTask.class, GetTask.class, WaitTask.class, CancelTask.class, ListTasks.class, DownloadTask.class},
    footer = {"", "The server is --url or $REFRAIN_URL (default http://127.0.0.1:8080); the key --key or $REFRAIN_API_KEY.",
        "Exit status: 0 ok, 1 task failed, 2 usage error, 3 timed out, 4 server or connection error."})
public final class TaskCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required: create, get, wait, cancel, list or download");
  }

  /** Runs {@code refrain task <args>}; the exit status. Output is UTF-8 whatever the locale, so JSON stays JSON. */
  public static int run(String... args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
    CommandLine cl = new CommandLine(new TaskCommand()).setOut(out).setErr(err);
    cl.setParameterExceptionHandler((e, a) -> {
      CommandSpec s = e.getCommandLine().getCommandSpec();
      err.println(s.qualifiedName() + ": " + e.getMessage());
      err.println("(see " + s.qualifiedName() + " --help)");
      return CliError.USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      // The server refused or could not be reached: its message, and the server's exit status.
      if (e instanceof TaskApiException refused) e = CliError.server(refused.getMessage());
      if (!(e instanceof CliError ce)) throw e;
      err.println("refrain: " + ce.getMessage());
      return ce.exitCode;
    });
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }
}
