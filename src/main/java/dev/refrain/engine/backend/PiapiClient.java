package dev.refrain.engine.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.client.TaskApiException;
import dev.refrain.client.TaskClient;
import dev.refrain.core.Json;
import dev.refrain.core.TaskType;
import dev.refrain.engine.EngineContext;
import dev.refrain.engine.EngineJob;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * Any PiAPI-compatible upstream (PiAPI itself, or another Refrain): forwards the task, follows it
 * to its end and brings the audio back to be re-hosted here. Audio inputs are passed as their URL,
 * which the upstream fetches. The task API is called through the shared {@link TaskClient}, over
 * the backends' connections and within the job's deadline; what it throws becomes a {@link BackendException}.
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
      case TXT2AUDIO -> {
        input.put("duration", job.duration());
        if (job.referenceUrl() != null) input.put("style_audio", job.referenceUrl());
      }
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
    body.put("model", TaskType.MODEL);
    body.put("task_type", job.type().wire());
    body.set("input", input);
    body.putObject("config").put("service_mode", "");

    JsonNode task = call("POST /api/v1/task", Http.controlDeadline(deadline), c -> c.create(body, null), PiapiClient::createRefused);
    String id = task.path("task_id").asText("");
    if (id.isEmpty()) throw new BackendException.Failed("upstream created no task_id: " + task);
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
      String what = "GET /api/v1/task/" + id;
      JsonNode t = call(what, Http.controlDeadline(deadline), c -> c.get(id), e -> refused(e, what));
      switch (t.path("status").asText()) {
        case "completed" -> {
          String url = t.path("output").path("audio_url").asText("");
          if (url.isEmpty()) throw new BackendException.Failed("upstream task " + id + " completed without output.audio_url");
          String download = "download of the upstream audio";
          return new Audio(call(download, deadline, c -> c.fetch(url, Http.MAX_AUDIO_BYTES), e -> refused(e, download)), job.format());
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
      String what = "DELETE /api/v1/task/" + id;
      call(what, Instant.now().plusSeconds(5), c -> c.cancel(id), e -> refused(e, what));
    } catch (BackendException | InterruptedException ignored) {
      // the result is discarded either way
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** One call of the task API, answered by {@code deadline}; no answer is a failure, and a refusal what {@code refused} makes of it. */
  private <T> T call(String what, Instant deadline, Function<TaskClient, T> call, Function<TaskApiException, BackendException> refused)
      throws BackendException, InterruptedException {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) throw new BackendException.Failed("deadline passed before " + what);
    try {
      return call.apply(new TaskClient(base, apiKey, null).withHttp(Http.CLIENT).withTimeout(left));
    } catch (TaskApiException e) {
      if (e.status() != 0) throw refused.apply(e);
      if (e.getCause() instanceof InterruptedException interrupted) {
        Thread.interrupted(); // thrown instead, as the JDK's client does
        throw interrupted;
      }
      if (e.getCause() instanceof HttpTimeoutException) throw new BackendException.Failed("no answer to " + what + " before the deadline");
      Throwable why = e.getCause() == null ? e : e.getCause();
      throw new BackendException.Failed("connection failed during " + what + ": "
          + (why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage()));
    }
  }

  /** Full (429, or 503 with Retry-After) is busy; a task the upstream can't take (400, 413, 415) is refused, so another backend won't be asked. */
  private static BackendException createRefused(TaskApiException e) {
    String what = "POST /api/v1/task";
    if (e.status() == 429 || (e.status() == 503 && e.retryAfter().isPresent())) {
      return new BackendException.Busy(what + " answered HTTP " + e.status() + " (busy)", Http.retryAfter(e.retryAfter().orElse("")));
    }
    JsonNode json = Json.parseOrNull(e.body());
    if (json == null) return new BackendException.Failed("answered HTTP " + e.status() + " with a body that is not JSON");
    if (e.status() / 100 == 2) return new BackendException.Failed("upstream created no task_id: " + Http.text(e.body()));
    String msg = json.path("message").asText(Http.text(e.body()));
    if (e.status() == 400 || e.status() == 413 || e.status() == 415) return new BackendException.Refused("upstream refused the task: " + msg);
    return new BackendException.Failed("upstream answered HTTP " + e.status() + ": " + msg);
  }

  /** 4xx is a refusal of this request, anything else the upstream's failure. */
  private static BackendException refused(TaskApiException e, String what) {
    if (e.status() / 100 == 2 && Json.parseOrNull(e.body()) == null) {
      return new BackendException.Failed("answered HTTP " + e.status() + " with a body that is not JSON");
    }
    return Http.classify(e.status(), Http.text(e.body()), what);
  }

  /** A request of the account, which the task API client does not cover. */
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
