package dev.refrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.client.TaskClient;
import dev.refrain.client.TaskWaiter;
import dev.refrain.config.Config;
import dev.refrain.core.Json;
import dev.refrain.tls.LocalTrust;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every `refrain task` subcommand shares: the server, the key, `--json`, and following a task to its end. */
abstract class TaskSubcommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--url", order = 90, paramLabel = "URL",
      description = "the server's base URL (default: $REFRAIN_URL, else this machine's on $REFRAIN_PORT, port 8080 unless set;"
          + " https when REFRAIN_TLS_LOCAL or REFRAIN_TLS_CERT is set)")
  String url;

  @Option(names = "--key", order = 91, paramLabel = "KEY",
      description = "API key (default: $REFRAIN_API_KEY, which keeps it out of the process list)")
  String key;

  @Option(names = "--json", order = 92, description = "print only JSON on stdout (a task: the object the server gives)")
  boolean json;

  @Option(names = {"-h", "--help"}, order = 93, usageHelp = true, description = "show this help")
  boolean help;

  /**
   * A client of the server the options or the environment name (this machine's by default, as its
   * settings say), trusting the data dir's local CA too when there is one; a usage error when there
   * is no key.
   */
  TaskClient client() {
    String k = key != null ? key : System.getenv("REFRAIN_API_KEY");
    if (k == null || k.isBlank()) throw usage("no API key: pass --key or set REFRAIN_API_KEY");
    Config config;
    try {
      config = Config.load(System.getenv());
    } catch (Config.ConfigException e) {
      throw usage(e.getMessage());
    }
    String u = url != null ? url : System.getenv("REFRAIN_URL");
    if (u == null || u.isBlank()) u = config.localUrl();
    if (!u.startsWith("http://") && !u.startsWith("https://")) throw usage("--url (or REFRAIN_URL) must be an http:// or https:// URL (got " + u + ")");
    TaskClient client = new TaskClient(u.trim(), k.trim(), "refrain-cli");
    return LocalTrust.forDataDir(config.dataDir()).map(client::withTrust).orElse(client);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** A --timeout in seconds as a duration; null for none. */
  Duration timeout(Double seconds) {
    if (seconds == null) return null;
    if (!(seconds > 0) || seconds.isInfinite()) throw usage("--timeout must be a number of seconds above 0 (got " + seconds + ")");
    return Duration.ofMillis((long) Math.ceil(seconds * 1000));
  }

  /** Waits for the task with a progress bar on stderr; the finished task. */
  JsonNode follow(TaskClient client, String id, Duration timeout) {
    try (ProgressBar bar = new ProgressBar(err(), ProgressBar.stderrIsTerminal())) {
      return TaskWaiter.follow(client, id, timeout, bar);
    } catch (TaskWaiter.TimedOut e) {
      throw CliError.timeout("task " + id + " is still " + e.last().status() + " after " + TaskText.seconds(timeout.toMillis() / 1000.0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliError.server("interrupted");
    }
  }

  void print(JsonNode task) {
    if (json) out().println(Json.write(task));
    else TaskText.summary(out(), task);
    out().flush();
  }

  /** Prints the finished task; a failed one is then exit code 1, with its error. */
  int finish(JsonNode task) {
    print(task);
    if (task.path("status").asText().equals("failed")) {
      throw CliError.failed("task " + task.path("task_id").asText() + " failed: " + task.path("error").path("message").asText("(no message)"));
    }
    return 0;
  }
}
