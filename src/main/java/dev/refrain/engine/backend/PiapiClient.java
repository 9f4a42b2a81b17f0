package dev.refrain.engine.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * Any PiAPI-compatible upstream (PiAPI itself, or another Refrain): forwards the task, follows it
 * to its end and brings the audio back to be re-hosted here. Audio inputs are passed as their URL,
 * which the upstream fetches.
 */
record PiapiClient(String base, String apiKey, Duration pollInterval) implements BackendClient {

  @Override
  public Set<TaskType> supports() {
    return EnumSet.allOf(TaskType.class);
  }

  @Override
  public Audio run(EngineJob job, EngineContext ctx, Instant deadline) throws BackendException, InterruptedException {
    ObjectNode input = Json.object();
    switch (job.type()) {
      case TXT2AUDIO -> input.put("duration", job.duration());
      case AUDIO2AUDIO -> input.put("style_audio", job.sourceUrl());
      case EDIT -> {
        input.put("audio", job.sourceUrl());
        input.put("edit_style_prompt", job.editStylePrompt());
        input.put("edit_lyrics", job.editLyrics());
      }
      case EXTEND -> {
        input.put("audio", job.sourceUrl());
        input.put("left_extend_duration", job.leftExtend());
        input.put("right_extend_duration", job.rightExtend());
      }
      default -> throw new IllegalStateException();
    }
    input.put("style_prompt", job.stylePrompt());
    input.put("lyrics", job.lyrics());
    if (!job.negativeStylePrompt().isEmpty()) input.put("negative_style_prompt", job.negativeStylePrompt());
    input.put("seed", job.seed());
    input.put("output_format", job.format().extension());
    if (job.knobs().inferSteps() != null) input.put("infer_step", job.knobs().inferSteps());
    if (job.knobs().guidanceScale() != null) input.put("guidance_scale", job.knobs().guidanceScale());
    if (job.knobs().refAudioStrength() != null) input.put("ref_audio_strength", job.knobs().refAudioStrength());
    if (job.knobs().editStrength() != null) input.put("edit_strength", job.knobs().editStrength());
    ObjectNode body = Json.object();
    body.put("model", "Qubico/ace-step");
    body.put("task_type", job.type().wire());
    body.set("input", input);
    body.putObject("config").put("service_mode", "");

    Http.Reply r = Http.control(request("/api/v1/task").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))), deadline, "POST /api/v1/task");
    Http.throwIfBusy(r, "POST /api/v1/task");
    if (r.status() != 200) {
      String msg = r.json().path("message").asText(r.text());
      if (r.status() == 400 || r.status() == 413 || r.status() == 415) throw new BackendException.Refused("upstream refused the task: " + msg);
      throw new BackendException.Failed("upstream answered HTTP " + r.status() + ": " + msg);
    }
    String id = r.json().path("data").path("task_id").asText("");
    if (id.isEmpty()) throw new BackendException.Failed("upstream created no task_id: " + r.text());
    ctx.log("piapi upstream task " + id + " (" + job.type().wire() + ")");
    try {
      return follow(id, job, ctx, deadline);
    } catch (InterruptedException | CancellationException e) {
      cancelUpstream(id); // cancelled here: stop the upstream too
      throw e;
    } catch (BackendException e) {
      // An interrupt can surface as a failed connection: if we were cancelled, say so upstream.
      if (ctx.cancelled()) cancelUpstream(id);
      throw e;
    }
  }

  private Audio follow(String id, EngineJob job, EngineContext ctx, Instant deadline) throws BackendException, InterruptedException {
    while (true) {
      ctx.checkCancelled();
      if (Instant.now().isAfter(deadline)) {
        cancelUpstream(id);
        throw new BackendException.Failed("upstream task " + id + " did not finish before the deadline");
      }
      Http.Reply g = Http.control(request("/api/v1/task/" + id).GET(), deadline, "GET /api/v1/task/" + id);
      if (g.status() != 200) throw Http.classify(g, "GET /api/v1/task/" + id);
      JsonNode t = g.json().path("data");
      switch (t.path("status").asText()) {
        case "completed" -> {
          String url = t.path("output").path("audio_url").asText("");
          if (url.isEmpty()) throw new BackendException.Failed("upstream task " + id + " completed without output.audio_url");
          Http.Reply audio = Http.send(HttpRequest.newBuilder(java.net.URI.create(url)).GET(), deadline, "download of the upstream audio");
          if (audio.status() != 200) throw Http.classify(audio, "download of the upstream audio");
          return new Audio(audio.body(), job.format());
        }
        case "failed" -> {
          String msg = t.path("error").path("message").asText("no reason given");
          // The upstream could not use the input: another backend would not either.
          if (msg.startsWith("failed to get input audio")) throw new BackendException.Refused(msg);
          throw new BackendException.Failed("upstream task " + id + " failed: " + msg);
        }
        default -> {
          double progress = t.path("meta").path("progress").asDouble(-1);
          if (progress >= 0) ctx.progress(progress, "upstream " + t.path("status").asText());
        }
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  /** Best effort: PiAPI cancels only pending tasks; Refrain upstreams stop running ones too. */
  private void cancelUpstream(String id) {
    boolean interrupted = Thread.interrupted(); // the cancel's own interrupt must not abort this request
    try {
      Http.send(request("/api/v1/task/" + id).DELETE(), Instant.now().plusSeconds(5), "DELETE /api/v1/task/" + id);
    } catch (BackendException | InterruptedException ignored) {
      // the result is discarded either way
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(Http.uri(base, path)).header("x-api-key", apiKey);
  }

  @Override
  public void checkHealth() throws BackendException, InterruptedException {
    Http.Reply r = Http.send(request("/account/info").GET(), Instant.now().plusSeconds(5), "GET /account/info");
    if (r.status() != 200) throw new BackendException.Failed("GET /account/info answered HTTP " + r.status() + " " + r.text());
  }

  @Override
  public List<String> describe() throws BackendException, InterruptedException {
    Http.Reply r = Http.send(request("/account/info").GET(), Instant.now().plusSeconds(5), "GET /account/info");
    JsonNode d = r.json().path("data");
    return List.of("account: " + d.path("account_name").asText("?") + ", plan " + d.path("plan").asText("?")
        + ", credits " + d.path("credits").asText("?"));
  }

  /** Without the key: records would print it. */
  @Override
  public String toString() {
    return "piapi at " + base;
  }
}
