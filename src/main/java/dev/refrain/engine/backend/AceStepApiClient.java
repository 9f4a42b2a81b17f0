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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * ACE-Step 1.5's REST server (`acestep-api`): `POST /release_task` (multipart, with the source as
 * `src_audio` and a txt2audio's reference as `reference_audio`, which steers text2music's timbre),
 * then `POST /query_result` until status 1 (done) or 2 (failed, without a reason), then
 * `GET /v1/audio?path=...`. Its quirks are handled here: `result` is JSON inside a string,
 * an unknown id reads "queued" forever (so the deadline ends it), and it has no cancel.
 */
record AceStepApiClient(String base, String apiKey, Duration pollInterval) implements BackendClient {

  @Override
  public Set<TaskType> supports() {
    return EnumSet.allOf(TaskType.class);
  }

  @Override
  public Audio run(EngineJob job, EngineContext ctx, Instant deadline) throws BackendException, InterruptedException {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    switch (job.type()) {
      case TXT2AUDIO -> {
        fields.put("task_type", "text2music");
        fields.put("prompt", job.stylePrompt());
        fields.put("lyrics", AceStepLyrics.of(job.lyrics()));
        fields.put("audio_duration", num(job.duration()));
      }
      case AUDIO2AUDIO -> {
        fields.put("task_type", "cover");
        fields.put("prompt", job.stylePrompt());
        fields.put("lyrics", AceStepLyrics.of(job.lyrics()));
        fields.put("audio_cover_strength", num(job.knobs().refAudioStrength() == null ? 0.5 : job.knobs().refAudioStrength()));
      }
      case EDIT -> {
        fields.put("task_type", "cover");
        fields.put("prompt", job.editStylePrompt());
        fields.put("lyrics", AceStepLyrics.of(job.editLyrics()));
        fields.put("audio_cover_strength", num(job.knobs().editStrength() == null ? 0.6 : job.knobs().editStrength()));
      }
      case EXTEND -> {
        fields.put("task_type", "repaint");
        fields.put("prompt", job.stylePrompt());
        fields.put("lyrics", AceStepLyrics.of(job.lyrics()));
        fields.put("repainting_start", num(-job.leftExtend()));
        fields.put("repainting_end", num(job.sourceAudio().seconds() + job.rightExtend()));
      }
      default -> throw new IllegalStateException();
    }
    fields.put("seed", Long.toString(job.seed()));
    fields.put("use_random_seed", "false");
    fields.put("batch_size", "1");
    fields.put("audio_format", job.format().extension());
    if (job.knobs().inferSteps() != null) fields.put("inference_steps", job.knobs().inferSteps().toString());
    if (job.knobs().guidanceScale() != null) fields.put("guidance_scale", num(job.knobs().guidanceScale()));
    if (job.type() == TaskType.EDIT) {
      ctx.log("acestep-api: edit maps to cover of the source; the source was described as '" + clip(job.stylePrompt())
          + "' with lyrics '" + clip(job.lyrics()) + "'");
    }
    ctx.log("acestep-api " + fields.get("task_type") + ": " + summary(fields)
        + (job.referenceAudio() == null ? "" : String.format(Locale.ROOT, ", reference_audio %.1f s", job.referenceAudio().seconds())));

    Http.Multipart form = new Http.Multipart();
    fields.forEach(form::field);
    if (job.sourceAudio() != null) {
      form.file("src_audio", "source.wav", "audio/wav", AudioEncoder.encode(job.sourceAudio(), OutputFormat.WAV, 0));
    }
    // Its own part, never src_audio: the server takes that as audio to transform (cover, repaint).
    if (job.referenceAudio() != null) {
      form.file("reference_audio", "reference.wav", "audio/wav", AudioEncoder.encode(job.referenceAudio(), OutputFormat.WAV, 0));
    }
    HttpRequest.Builder release = request("/release_task").header("Content-Type", form.contentType()).POST(form.publisher());
    Http.Reply r = Http.control(release, deadline, "POST /release_task");
    Http.throwIfBusy(r, "POST /release_task");
    if (r.status() != 200) throw Http.classify(r, "POST /release_task");
    String id = r.json().path("data").path("task_id").asText("");
    if (id.isEmpty()) throw new BackendException.Failed("POST /release_task answered without data.task_id: " + r.text());
    ctx.log("acestep-api job " + id + " queued at position " + r.json().path("data").path("queue_position").asText("?"));

    JsonNode entry = awaitResult(id, ctx, deadline);
    String file = entry.path("file").asText("");
    if (file.isEmpty()) throw new BackendException.Failed("acestep-api job " + id + " succeeded without a file");
    Http.Reply audio = Http.send(request(file.startsWith("/") ? file : "/" + file).GET(), deadline, "GET " + file);
    if (audio.status() != 200) throw Http.classify(audio, "GET " + file);
    return new Audio(audio.body(), job.format());
  }

  /** Polls until the job ends; returns its first result entry. */
  private JsonNode awaitResult(String id, EngineContext ctx, Instant deadline) throws BackendException, InterruptedException {
    String body = Json.write(Json.object().set("task_id_list", Json.array().add(id)));
    ProgressClock clock = new ProgressClock();
    while (true) {
      ctx.checkCancelled(); // the server has no cancel: we stop polling and drop the result
      if (Instant.now().isAfter(deadline)) {
        throw new BackendException.Failed("acestep-api job " + id + " did not finish before the deadline (it may have been lost)");
      }
      Http.Reply r = Http.control(request("/query_result").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)), deadline, "POST /query_result");
      if (r.status() != 200) throw Http.classify(r, "POST /query_result");
      JsonNode item = null;
      for (JsonNode n : r.json().path("data")) if (id.equals(n.path("task_id").asText())) item = n;
      if (item == null) throw new BackendException.Failed("POST /query_result did not list job " + id);
      int status = item.path("status").asInt(-1);
      JsonNode result = parseResult(item.path("result"));
      if (status == 1) {
        if (!result.isArray() || result.isEmpty()) throw new BackendException.Failed("acestep-api job " + id + " succeeded with an empty result");
        return result.get(0);
      }
      if (status == 2) {
        // Recent builds put the reason in the entry's `error`; older ones give none.
        String why = result.isArray() && !result.isEmpty() ? result.get(0).path("error").asText("") : "";
        throw new BackendException.Failed("acestep-api job " + id + " failed" + (why.isBlank() ? " (the server gives no reason)" : ": " + why));
      }
      if (status != 0) throw new BackendException.Failed("POST /query_result gave unknown status " + status);
      if (result.isArray() && !result.isEmpty()) {
        JsonNode e = result.get(0);
        if (e.has("progress")) {
          double p = e.path("progress").asDouble(0);
          ctx.progress(p, e.path("stage").asText("generating"));
          clock.observe(p);
        }
      }
      Thread.sleep(clock.nextPollMillis(pollInterval.toMillis()));
    }
  }

  /** `result` is a JSON document inside a string; tolerate it arriving already parsed. */
  private static JsonNode parseResult(JsonNode result) throws BackendException.Failed {
    if (result.isTextual()) {
      String s = result.asText().strip();
      if (s.isEmpty()) return Json.array();
      JsonNode parsed = Json.parseOrNull(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (parsed == null) throw new BackendException.Failed("POST /query_result gave a result that is not JSON");
      return parsed;
    }
    return result.isMissingNode() || result.isNull() ? Json.array() : result;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(Http.uri(base, path));
    if (!apiKey.isEmpty()) b.header("Authorization", "Bearer " + apiKey);
    return b;
  }

  @Override
  public void checkHealth() throws BackendException, InterruptedException {
    Http.Reply r = Http.send(request("/health").GET(), Instant.now().plusSeconds(5), "GET /health");
    if (r.status() != 200) throw new BackendException.Failed("GET /health answered HTTP " + r.status() + " " + r.text());
  }

  @Override
  public List<String> describe() throws BackendException, InterruptedException {
    List<String> out = new ArrayList<>();
    Http.Reply stats = Http.send(request("/v1/stats").GET(), Instant.now().plusSeconds(5), "GET /v1/stats");
    out.add("stats: " + (stats.status() == 200 ? stats.text() : "HTTP " + stats.status()));
    return out;
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static String summary(Map<String, String> fields) {
    ObjectNode o = Json.object();
    for (Iterator<Map.Entry<String, String>> it = fields.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, String> e = it.next();
      o.put(e.getKey(), clip(e.getValue()));
    }
    return Json.write(o);
  }

  /**
   * When to poll next: every poll interval, or sooner when the job's progress says it is about to
   * end, so a finished job waits a few milliseconds for us instead of half an interval.
   */
  static final class ProgressClock {
    private static final long MIN_POLL_MILLIS = 10;
    private long firstNanos;
    private double firstProgress = -1;
    private long lastNanos;
    private double lastProgress;

    void observe(double progress) {
      long now = System.nanoTime();
      if (progress <= 0 || progress >= 1) return;
      if (firstProgress < 0) {
        firstProgress = progress;
        firstNanos = now;
      }
      if (progress > lastProgress) { // when it changed, not when we last looked
        lastProgress = progress;
        lastNanos = now;
      }
    }

    long nextPollMillis(long interval) {
      if (firstProgress < 0 || lastProgress <= firstProgress) return interval;
      double perNano = (lastProgress - firstProgress) / (lastNanos - firstNanos);
      long remaining = (long) ((1 - lastProgress) / perNano / 1_000_000) - (System.nanoTime() - lastNanos) / 1_000_000;
      // Progress is seen up to an interval late, so the estimate is too: poll closely within an interval of it.
      return remaining <= interval ? MIN_POLL_MILLIS : Math.min(interval, remaining - interval);
    }
  }

  /** Without the key: records would print it. */
  @Override
  public String toString() {
    return "acestep-api at " + base;
  }
}
