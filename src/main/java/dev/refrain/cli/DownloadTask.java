package dev.refrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refrain.client.TaskClient;
import dev.refrain.core.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `refrain task download ID [-o FILE]`: a completed task's audio, streamed to disk. */
@Command(name = "download", description = "Save a completed task's audio to a file.")
final class DownloadTask extends TaskSubcommand {
  @Parameters(paramLabel = "ID", description = "the task's id")
  String id;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "where to save it (default: the file name of its audio_url, here; a folder: that name in it)")
  Path output;

  @Option(names = "--force", description = "overwrite FILE when it exists")
  boolean force;

  @Override
  public Integer call() {
    TaskClient client = client();
    JsonNode task = client.get(id);
    String status = task.path("status").asText();
    if (status.equals("failed")) throw CliError.failed("task " + id + " failed, so it has no audio: " + task.path("error").path("message").asText());
    if (!status.equals("completed")) throw CliError.failed("task " + id + " is " + status + ": no audio yet (refrain task wait " + id + ")");
    Path target = target(output, task);
    refuseOverwrite(target, force);
    long bytes = client.download(task.path("output").path("audio_url").asText(), target);
    if (json) out().println(Json.write(Json.object().put("task_id", id).put("file", target.toString()).put("bytes", bytes)));
    else out().println(saved(target, bytes));
    return 0;
  }

  /** {@code output}, or in it when it is a folder, or here when absent, the audio_url's file name. */
  static Path target(Path output, JsonNode task) {
    if (output != null && !Files.isDirectory(output)) return output;
    String name = fileName(task);
    return output == null ? Path.of(name) : output.resolve(name);
  }

  static void refuseOverwrite(Path target, boolean force) {
    if (!force && Files.exists(target)) throw CliError.usage(target + " already exists: pass --force to overwrite it");
  }

  static String saved(Path target, long bytes) {
    return "saved " + target + " (" + bytes + " bytes)";
  }

  /** The last segment of the audio_url's path; else {@code <task id>.<format>}. */
  private static String fileName(JsonNode task) {
    String fallback = task.path("task_id").asText("task") + "." + task.path("input").path("output_format").asText("mp3");
    try {
      String path = URI.create(task.path("output").path("audio_url").asText("")).getPath();
      String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
      if (name.isBlank() || name.equals(".") || name.equals("..")) return fallback;
      return Path.of(name).getFileName().toString();
    } catch (IllegalArgumentException e) { // also InvalidPathException
      return fallback;
    }
  }
}
