package dev.refrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.client.TaskClient;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `refrain task create --type T ...`: one flag per input field of the wire contract's table. */
@Command(name = "create", sortOptions = false,
    description = {"Create a task and print its id (or, with --json, the task).",
        "Audio inputs take a URL, or a local file, which is uploaded first.",
        "--wait then waits for it like `refrain task wait`; --download FILE waits and saves the audio."})
final class CreateTask extends TaskSubcommand {
  /** Which input flags each task type takes, and which of them it needs (api.md's table). */
  private static final Map<String, Set<String>> TAKES = Map.of(
      "txt2audio", Set.of("--style", "--lyrics", "--duration", "--negative"),
      "audio2audio", Set.of("--style-audio", "--style", "--lyrics", "--negative"),
      "edit", Set.of("--audio", "--style", "--lyrics", "--edit-style", "--edit-lyrics"),
      "extend", Set.of("--audio", "--left", "--right", "--style", "--lyrics", "--negative"));
  private static final Map<String, List<String>> NEEDS = Map.of(
      "txt2audio", List.of("--style"),
      "audio2audio", List.of("--style-audio", "--style"),
      "edit", List.of("--audio", "--style", "--edit-style"),
      "extend", List.of("--audio", "--style"));

  @Option(names = "--type", required = true, paramLabel = "TYPE", converter = Choices.TaskTypes.class,
      completionCandidates = Choices.TaskTypes.class, description = "${COMPLETION-CANDIDATES}")
  String type;

  @Option(names = "--style", paramLabel = "TEXT", description = "style prompt: genre, mood, instruments (all types)")
  String style;

  @Option(names = "--lyrics", paramLabel = "TEXT", description = "lyrics with [verse], [chorus]... tags; default [inst]; - reads stdin")
  String lyrics;

  @Option(names = "--lyrics-file", paramLabel = "FILE", description = "the lyrics from a file; - reads stdin")
  String lyricsFile;

  @Option(names = "--duration", paramLabel = "S", description = "txt2audio: seconds of audio (default 60)")
  Double duration;

  @Option(names = "--negative", paramLabel = "TEXT", description = "what to avoid (txt2audio, audio2audio, extend)")
  String negative;

  @Option(names = "--audio", paramLabel = "URL|FILE", description = "edit, extend: the audio to work on")
  String audio;

  @Option(names = "--style-audio", paramLabel = "URL|FILE", description = "audio2audio: the reference audio")
  String styleAudio;

  @Option(names = "--edit-style", paramLabel = "TEXT", description = "edit: the style wanted")
  String editStyle;

  @Option(names = "--edit-lyrics", paramLabel = "TEXT", description = "edit: the lyrics wanted (default [inst])")
  String editLyrics;

  @Option(names = "--left", paramLabel = "S", description = "extend: seconds added before")
  Double left;

  @Option(names = "--right", paramLabel = "S", description = "extend: seconds added after")
  Double right;

  @Option(names = "--seed", paramLabel = "N", description = "seed for reproducible output")
  Long seed;

  @Option(names = "--format", paramLabel = "FORMAT", converter = Choices.Formats.class,
      completionCandidates = Choices.Formats.class, description = "output format: ${COMPLETION-CANDIDATES} (default mp3)")
  String format;

  @Option(names = "--webhook", paramLabel = "URL", description = "POST every status change to URL")
  String webhook;

  @Option(names = "--webhook-secret", paramLabel = "S", description = "sent with every webhook, and signs it")
  String webhookSecret;

  @Option(names = "--idempotency-key", paramLabel = "K", description = "the same key and request within 24 h give back the same task")
  String idempotencyKey;

  @Option(names = "--wait", description = "wait for the task to end, with a progress bar, then show it")
  boolean await;

  @Option(names = "--timeout", paramLabel = "S", description = "with --wait or --download: give up after S seconds (exit status 3)")
  Double timeout;

  @Option(names = "--download", paramLabel = "FILE", description = "wait, then save the audio to FILE (a folder: under its own name)")
  Path download;

  @Option(names = "--force", description = "with --download: overwrite FILE when it exists")
  boolean force;

  @Override
  public Integer call() {
    checkFlags();
    var limit = timeout(timeout);
    if (download != null && !Files.isDirectory(download)) DownloadTask.refuseOverwrite(download, force);
    String lyricsText = lyrics();
    TaskClient client = client();

    ObjectNode input = Json.object();
    if (audio != null) input.put("audio", audioInput(client, "--audio", audio));
    if (styleAudio != null) input.put("style_audio", audioInput(client, "--style-audio", styleAudio));
    if (style != null) input.put("style_prompt", style);
    if (lyricsText != null) input.put("lyrics", lyricsText);
    if (duration != null) input.put("duration", duration);
    if (negative != null) input.put("negative_style_prompt", negative);
    if (editStyle != null) input.put("edit_style_prompt", editStyle);
    if (editLyrics != null) input.put("edit_lyrics", editLyrics);
    if (left != null) input.put("left_extend_duration", left);
    if (right != null) input.put("right_extend_duration", right);
    if (seed != null) input.put("seed", seed);
    if (format != null) input.put("output_format", format);
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

  /** Flags that don't fit together or don't fit the type: refused before anything is sent. */
  private void checkFlags() {
    var parsed = spec.commandLine().getParseResult();
    for (String flag : List.of("--style", "--lyrics", "--duration", "--negative", "--audio", "--style-audio", "--edit-style",
        "--edit-lyrics", "--left", "--right")) {
      if (parsed.hasMatchedOption(flag) && !TAKES.get(type).contains(flag)) {
        throw usage(flag + " does not apply to --type " + type + " (it takes " + String.join(", ", TAKES.get(type).stream().sorted().toList()) + ")");
      }
    }
    for (String flag : NEEDS.get(type)) {
      if (!parsed.hasMatchedOption(flag)) throw usage(flag + " is required for --type " + type);
    }
    if (type.equals("extend") && left == null && right == null) throw usage("--type extend needs --left or --right: the seconds to add");
    if (lyrics != null && lyricsFile != null) throw usage("--lyrics and --lyrics-file: give one of them");
    if (webhookSecret != null && webhook == null) throw usage("--webhook-secret needs --webhook");
    if (timeout != null && !await && download == null) throw usage("--timeout needs --wait or --download");
    if (force && download == null) throw usage("--force needs --download");
  }

  /** The lyrics from --lyrics, or the file or stdin --lyrics-file (or --lyrics -) names. */
  private String lyrics() {
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
    return client.upload(file);
  }
}
