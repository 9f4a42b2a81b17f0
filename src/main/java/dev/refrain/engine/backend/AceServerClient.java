package dev.refrain.engine.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.audio.AudioEncoder;
import dev.refrain.core.Json;
import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskType;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * acestep.cpp's `ace-server`: one synchronous `POST /synth` per job that answers the audio itself
 * (MP3, or WAV with `?wav=1`). JSON for text2music; multipart (`request` JSON + `audio`) for
 * cover and repaint. Busy means 503 with Retry-After. Cancelling aborts the request. Its documented
 * repaint stays inside the source, so extend (outpainting) is served only where the operator lists
 * it for a build that pads the source.
 */
record AceServerClient(String base, String apiKey) implements BackendClient {

  @Override
  public Set<TaskType> supports() {
    return EnumSet.of(TaskType.TXT2AUDIO, TaskType.AUDIO2AUDIO, TaskType.EDIT);
  }

  @Override
  public Set<TaskType> optIn() {
    return EnumSet.of(TaskType.EXTEND);
  }

  @Override
  public Map<String, String> unused(EngineJob job) {
    return job.referenceAudio() == null ? Map.of()
        : Map.of("style_audio", "its /synth takes an audio part only for cover and repaint; text2music has no reference");
  }

  @Override
  public Audio run(EngineJob job, EngineContext ctx, Instant deadline) throws BackendException, InterruptedException {
    ObjectNode req = Json.object();
    String caption;
    String lyrics;
    switch (job.type()) {
      case TXT2AUDIO -> {
        caption = job.stylePrompt();
        lyrics = job.lyrics();
        req.put("duration", job.duration());
      }
      case AUDIO2AUDIO -> {
        caption = job.stylePrompt();
        lyrics = job.lyrics();
        req.put("audio_cover_strength", strength(job.knobs().refAudioStrength(), 0.5));
      }
      case EDIT -> {
        caption = job.editStylePrompt();
        lyrics = job.editLyrics();
        req.put("audio_cover_strength", strength(job.knobs().editStrength(), 0.6));
      }
      case EXTEND -> {
        caption = job.stylePrompt();
        lyrics = job.lyrics();
        req.put("repainting_start", -job.leftExtend());
        req.put("repainting_end", job.sourceAudio().seconds() + job.rightExtend());
      }
      default -> throw new IllegalStateException();
    }
    req.put("caption", caption);
    req.put("lyrics", AceStepLyrics.of(lyrics));
    req.put("seed", job.seed());
    req.put("synth_batch_size", 1);
    if (job.knobs().inferSteps() != null) req.put("inference_steps", job.knobs().inferSteps());
    if (job.knobs().guidanceScale() != null) req.put("guidance_scale", job.knobs().guidanceScale());
    // MP3 comes back as it is; anything else is asked as WAV and encoded here.
    boolean mp3 = job.format() == OutputFormat.MP3;
    HttpRequest.Builder http = HttpRequest.newBuilder(Http.uri(base, "/synth" + (mp3 ? "" : "?wav=1")));
    auth(http);
    String task = switch (job.type()) {
      case TXT2AUDIO -> "text2music";
      case AUDIO2AUDIO, EDIT -> "cover";
      case EXTEND -> "repaint";
    };
    ctx.log("acestep-cpp " + task + ": " + summary(req));
    if (job.type() == TaskType.TXT2AUDIO) {
      http.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(req)));
    } else {
      Http.Multipart form = new Http.Multipart()
          .json("request", Json.write(req))
          .file("audio", "source.wav", "audio/wav", AudioEncoder.encode(job.sourceAudio(), OutputFormat.WAV, 0));
      http.header("Content-Type", form.contentType()).POST(form.publisher());
    }
    ctx.progress(0.05, "generating on acestep-cpp");
    Http.Reply r = Http.send(http, deadline, "POST /synth");
    Http.throwIfBusy(r, "POST /synth");
    if (r.status() != 200) {
      JsonNode err = dev.refrain.core.Json.parseOrNull(r.body());
      String why = err != null && err.hasNonNull("error") ? err.get("error").asText() : r.text();
      if (r.status() == 400 || r.status() == 501) throw new BackendException.Refused("ace-server refused the job: HTTP " + r.status() + " " + why);
      throw new BackendException.Failed("ace-server failed: HTTP " + r.status() + " " + why);
    }
    return new Audio(r.body(), mp3 ? OutputFormat.MP3 : OutputFormat.WAV);
  }

  private static double strength(Double knob, double dflt) {
    return knob == null ? dflt : knob;
  }

  static String summary(ObjectNode req) {
    ObjectNode shown = req.deepCopy();
    for (String f : List.of("caption", "lyrics")) {
      String v = shown.path(f).asText();
      if (v.length() > 80) shown.put(f, v.substring(0, 77) + "...");
    }
    return Json.write(shown);
  }

  private void auth(HttpRequest.Builder http) {
    if (!apiKey.isEmpty()) http.header("Authorization", "Bearer " + apiKey);
  }

  @Override
  public void checkHealth() throws BackendException, InterruptedException {
    HttpRequest.Builder h = HttpRequest.newBuilder(Http.uri(base, "/health")).GET();
    auth(h);
    Http.Reply r = Http.send(h, Instant.now().plusSeconds(5), "GET /health");
    if (r.status() != 200 || !"ok".equals(r.json().path("status").asText())) {
      throw new BackendException.Failed("GET /health answered HTTP " + r.status() + " " + r.text());
    }
  }

  @Override
  public List<String> describe() throws BackendException, InterruptedException {
    HttpRequest.Builder h = HttpRequest.newBuilder(Http.uri(base, "/props")).GET();
    auth(h);
    Http.Reply r = Http.send(h, Instant.now().plusSeconds(5), "GET /props");
    List<String> out = new ArrayList<>();
    out.add("props: " + (r.status() == 200 ? r.text() : "HTTP " + r.status()));
    return out;
  }

  /** Without the key: records would print it. */
  @Override
  public String toString() {
    return "acestep-cpp at " + base;
  }
}
