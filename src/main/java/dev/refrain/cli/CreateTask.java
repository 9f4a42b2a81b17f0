package dev.refrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.client.TaskClient;
import dev.refrain.core.InputField;
import dev.refrain.core.InputFields;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * `refrain task create --type T ...`: a flag per input field, made from {@link InputFields} (see
 * {@link InputOptions}), and a few of the CLI's own.
 */
@Command(name = "create", sortOptions = false, modelTransformer = CreateTask.InputOptions.class,
    description = {"Create a task and print its id (or, with --json, the task).",
        "Audio inputs take a URL, or a local file, which is uploaded first.",
        "--wait then waits for it like `refrain task wait`; --download FILE waits and saves the audio."})
final class CreateTask extends TaskSubcommand {
  @Option(names = "--type", order = 1, required = true, paramLabel = "TYPE", converter = Choices.TaskTypes.class,
      completionCandidates = Choices.TaskTypes.class, description = "${COMPLETION-CANDIDATES}")
  String type;

  @Option(names = "--lyrics-file", order = 30, paramLabel = "FILE", description = "the lyrics from a file; - reads stdin")
  String lyricsFile;

  @Option(names = "--webhook", order = 31, paramLabel = "URL", description = "POST every status change to URL")
  String webhook;

  @Option(names = "--webhook-secret", order = 32, paramLabel = "S", description = "sent with every webhook, and signs it")
  String webhookSecret;

  @Option(names = "--idempotency-key", order = 33, paramLabel = "K", description = "the same key and request within 24 h give back the same task")
  String idempotencyKey;

  @Option(names = "--wait", order = 34, description = "wait for the task to end, with a progress bar, then show it")
  boolean await;

  @Option(names = "--timeout", order = 35, paramLabel = "S", description = "with --wait or --download: give up after S seconds (exit status 3)")
  Double timeout;

  @Option(names = "--download", order = 36, paramLabel = "FILE", description = "wait, then save the audio to FILE (a folder: under its own name)")
  Path download;

  @Option(names = "--force", order = 37, description = "with --download: overwrite FILE when it exists")
  boolean force;

  @Override
  public Integer call() {
    checkFlags();
    var limit = timeout(timeout);
    if (download != null && !Files.isDirectory(download)) DownloadTask.refuseOverwrite(download, force);
    String lyricsText = lyrics();
    TaskClient client = client();

    ObjectNode input = Json.object();
    for (InputField f : InputFields.of(taskType())) {
      Object value = f.name().equals("lyrics") ? lyricsText : value(f);
      if (value == null) continue;
      switch (f.kind()) {
        case AUDIO -> input.put(f.name(), audioInput(client, f.option(), (String) value));
        case SECONDS, NUMBER -> input.put(f.name(), (Double) value);
        case WHOLE -> input.put(f.name(), (Integer) value);
        case SEED -> input.put(f.name(), (Long) value);
        case PROMPT, LYRICS, FORMAT -> input.put(f.name(), (String) value);
      }
    }
    ObjectNode body = Json.object().put("model", TaskType.MODEL).put("task_type", type);
    body.set("input", input);
    if (webhook != null) {
      ObjectNode hook = body.putObject("config").putObject("webhook_config").put("endpoint", webhook);
      if (webhookSecret != null) hook.put("secret", webhookSecret);
    }

    JsonNode task = client.create(body, idempotencyKey);
    String id = task.path("task_id").asText();
    if (!await && download == null) {
      if (json) print(task);
      else out().println(id);
      return 0;
    }
    err().println("created task " + id);
    JsonNode done = follow(client, id, limit);
    if (download != null && done.path("status").asText().equals("completed")) {
      Path target = DownloadTask.target(download, done);
      DownloadTask.refuseOverwrite(target, force);
      err().println(DownloadTask.saved(target, client.download(done.path("output").path("audio_url").asText(), target)));
    }
    return finish(done);
  }

  private TaskType taskType() {
    return TaskType.fromWire(type).orElseThrow();
  }

  /** The value of the input field's flag; null when it was not given. */
  private Object value(InputField f) {
    return spec.commandLine().getParseResult().matchedOptionValue(f.option(), null);
  }

  /** Flags that don't fit together or don't fit the type: refused before anything is sent. */
  private void checkFlags() {
    var parsed = spec.commandLine().getParseResult();
    List<InputField> takes = InputFields.of(taskType());
    for (InputField f : InputOptions.all()) {
      if (parsed.hasMatchedOption(f.option()) && takes.stream().noneMatch(t -> t.option().equals(f.option()))) {
        throw usage(f.option() + " does not apply to --type " + type + " (it takes "
            + String.join(", ", takes.stream().map(InputField::option).sorted().toList()) + ")");
      }
    }
    for (InputField f : takes) {
      if (f.required() && !parsed.hasMatchedOption(f.option())) throw usage(f.option() + " is required for --type " + type);
    }
    if (taskType() == TaskType.EXTEND && !parsed.hasMatchedOption("--left") && !parsed.hasMatchedOption("--right")) {
      throw usage("--type extend needs --left or --right: the seconds to add");
    }
    if (value(InputOptions.LYRICS) != null && lyricsFile != null) throw usage("--lyrics and --lyrics-file: give one of them");
    if (webhookSecret != null && webhook == null) throw usage("--webhook-secret needs --webhook");
    if (timeout != null && !await && download == null) throw usage("--timeout needs --wait or --download");
    if (force && download == null) throw usage("--force needs --download");
  }

  /** The lyrics from --lyrics, or the file or stdin --lyrics-file (or --lyrics -) names. */
  private String lyrics() {
    String lyrics = (String) value(InputOptions.LYRICS);
    String from = "-".equals(lyrics) ? "-" : lyricsFile;
    if (from == null) return lyrics;
    try {
      if (from.equals("-")) return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      return Files.readString(Path.of(from), StandardCharsets.UTF_8);
    } catch (IOException | InvalidPathException e) {
      throw usage("--lyrics-file: cannot read " + from + " (" + e.getMessage() + ")");
    }
  }

  /** A URL (or data: URI) as it is; a local file uploaded first, its URL then. */
  private String audioInput(TaskClient client, String flag, String value) {
    String v = value.trim();
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("data:")) return v;
    Path file;
    try {
      file = Path.of(v);
    } catch (InvalidPathException e) {
      file = null;
    }
    if (file == null || !Files.isRegularFile(file)) throw usage(flag + ": no such file: " + v + " (give a URL or the path of an audio file)");
    try {
      return client.upload(file.getFileName().toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw CliError.usage(flag + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Adds a flag for every input field of any task type, as {@link InputFields} describes it. */
  static final class InputOptions implements IModelTransformer {
    static final InputField LYRICS = all().stream().filter(f -> f.name().equals("lyrics")).findFirst().orElseThrow();

    /** Each field once (by flag), in the order the task types list them. */
    static List<InputField> all() {
      Map<String, InputField> byOption = new LinkedHashMap<>();
      for (TaskType t : TaskType.values()) InputFields.of(t).forEach(f -> byOption.putIfAbsent(f.option(), f));
      return List.copyOf(byOption.values());
    }

    @Override
    public CommandSpec transform(CommandSpec spec) {
      int order = 2; // after --type
      for (InputField f : all()) {
        OptionSpec.Builder o = OptionSpec.builder(f.option()).order(order++).paramLabel(f.label()).description(types(f) + f.help());
        switch (f.kind()) {
          case SECONDS, NUMBER -> o.type(Double.class);
          case WHOLE -> o.type(Integer.class);
          case SEED -> o.type(Long.class);
          case FORMAT -> o.type(String.class).converters(new Choices.Formats()).completionCandidates(new Choices.Formats());
          case PROMPT, LYRICS, AUDIO -> o.type(String.class);
        }
        spec.addOption(o.build());
      }
      return spec;
    }

    /** "edit, extend: " for a field only some types take; nothing for one all take. */
    private static String types(InputField f) {
      List<String> takers = Arrays.stream(TaskType.values())
          .filter(t -> InputFields.of(t).stream().anyMatch(g -> g.option().equals(f.option()))).map(TaskType::wire).toList();
      return takers.size() == TaskType.values().length ? "" : String.join(", ", takers) + ": ";
    }
  }
}
