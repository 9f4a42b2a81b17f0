package dev.refrain.cli;

import dev.refrain.client.TaskApiException;
import dev.refrain.config.Config;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * `refrain ...`: the whole command line. A usage error is exit 2 with a line on stderr; a command's
 * own failure (CliError) its exit code; anything else is thrown to the caller, which owns how a
 * failed start is reported.
 */
@Command(name = "refrain", description = "A PiAPI-compatible music generation server, and the tools around it.",
    footer = {"", "Settings come from REFRAIN_* environment variables (see the README); `refrain COMMAND --help` describes a command."})
public final class RefrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /**
   * Runs {@code refrain <args>}; the exit status. {@code serve} runs the server (it lives above this
   * package). Output is UTF-8 whatever the locale, so JSON stays JSON.
   */
  public static int run(Callable<Integer> serve, String... args) throws Exception {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
    CommandLine cl = new CommandLine(new RefrainCommand())
        .addSubcommand(new ServeCommand(serve))
        .addSubcommand(new KeysCommand())
        .addSubcommand(new BackendsCommand())
        .addSubcommand(new MigrateStoreCommand())
        // Built as its own CommandLine: picocli runs model transformers (task create's input flags) only there.
        .addSubcommand(new CommandLine(new TaskCommand()))
        .addSubcommand(new McpCommand())
        .addSubcommand(new HelpCommand());
    cl.setOut(out).setErr(err);
    cl.setParameterExceptionHandler((e, a) -> usageError(e, err));
    // picocli prints a stack trace for whatever a handler throws, so the failure is carried out of execute().
    List<Throwable> unexpected = new ArrayList<>(1);
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      // The server refused or could not be reached: its message, and the server's exit status.
      if (e instanceof TaskApiException refused) e = CliError.server(refused.getMessage());
      if (e instanceof CliError ce) {
        err.println("refrain: " + ce.getMessage());
        return ce.exitCode;
      }
      if (e instanceof Config.ConfigException) {
        err.println("refrain: " + e.getMessage());
        return CliError.USAGE;
      }
      // A command method's Error comes wrapped; a class's comes as it is.
      unexpected.add(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
      return 1;
    });
    int status = cl.execute(args);
    out.flush();
    err.flush();
    if (!unexpected.isEmpty()) {
      if (unexpected.getFirst() instanceof Error error) throw error;
      throw (Exception) unexpected.getFirst();
    }
    return status;
  }

  /** `refrain task`'s mistakes name the command and point at its help; the others say `refrain: ` and what to do. */
  private static int usageError(ParameterException e, PrintWriter err) {
    CommandLine cl = e.getCommandLine();
    if (within(cl, TaskCommand.class)) {
      String name = cl.getCommandSpec().qualifiedName();
      err.println(name + ": " + e.getMessage());
      err.println("(see " + name + " --help)");
    } else if (e instanceof UnmatchedArgumentException u && isUnknownCommand(u)) {
      String word = u.getUnmatched().getFirst();
      if (cl.getParent() == null) {
        err.println("refrain: unknown command '" + word + "'");
        cl.usage(err);
      } else {
        err.println("refrain: unknown " + cl.getCommandName() + " command '" + word + "': use " + orList(cl.getSubcommands().keySet()));
      }
    } else {
      err.println("refrain: " + e.getMessage());
    }
    return CliError.USAGE;
  }

  private static boolean within(CommandLine cl, Class<?> command) {
    for (CommandLine c = cl; c != null; c = c.getParent()) {
      if (command.isInstance(c.getCommand())) return true;
    }
    return false;
  }

  /** A word where a command with subcommands expected one of them. */
  private static boolean isUnknownCommand(UnmatchedArgumentException u) {
    return !u.getCommandLine().getSubcommands().isEmpty() && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")
        && u.getCommandLine().getCommandSpec().positionalParameters().isEmpty();
  }

  /** "a, b or c". */
  private static String orList(Iterable<String> words) {
    List<String> w = new ArrayList<>();
    words.forEach(w::add);
    return w.size() == 1 ? w.getFirst() : String.join(", ", w.subList(0, w.size() - 1)) + " or " + w.getLast();
  }
}
