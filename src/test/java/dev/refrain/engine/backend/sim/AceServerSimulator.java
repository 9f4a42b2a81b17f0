package dev.refrain.engine.backend.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.refrain.audio.AudioException;
import dev.refrain.core.Json;
import dev.refrain.core.OutputFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A stand-in for acestep.cpp's {@code ace-server} ({@code tools/ace-server.cpp}, README "ace-server
 * reference"), synth pipeline loaded, LM not (the {@code ace-server --embedding --dit --vae} setup):
 *
 * <ul>
 *   <li>{@code POST /synth[?wav=1]}: a JSON AceRequest object (or an array of them: a batch), or
 *       {@code multipart/form-data} with a {@code request} part (JSON, as a file or a field) and an
 *       optional {@code audio} part (WAV or MP3) for cover and repaint. Answers the raw audio of one
 *       track, {@code audio/mpeg} at {@link #mp3Bitrate} (default 128 kbps) or {@code audio/wav} with
 *       {@code ?wav=1}; several tracks ({@code synth_batch_size} > 1 or an array, at most 9) come as
 *       {@code multipart/mixed; boundary=ace-batch-boundary}. No metadata headers: the seed and length
 *       are not reported.
 *   <li>One GPU job at a time, taken with {@code try_lock}: a request arriving while it is held gets
 *       at once 503, {@code Retry-After: 5}, {@code {"error":"Server busy"}}. Parsing and validation
 *       (the 400s) happen before the lock is tried.
 *   <li>Errors are {@code {"error":"..."}} with 400 (bad JSON, missing {@code request} part, empty or
 *       undecodable {@code audio}, empty {@code caption}), 500 ({@code "Synth generation failed"}: also
 *       an inverted repaint range, a repaint without audio, a duration past 600 s), 501 (synth
 *       pipeline not loaded, {@code /lm} and {@code /understand} without an LM), 503 (busy). A body
 *       over 120 MB is refused with 413 and no JSON, as cpp-httplib does.
 *   <li>Lengths: text2music {@code duration} seconds ({@code <= 0}: 30 s, the no-LM fallback), rounded
 *       up to the DiT's 2-latent patch (80 ms); cover the source's length on the same grid; repaint
 *       keeps the source length and clamps the region into it (the documented build), or with
 *       {@link #outpaint(boolean)} pads the source as newer builds do.
 *   <li>{@code GET /health} {@code {"status":"ok"}}; {@code GET /props}
 *       {@code {"status":{"lm","synth"},"cli":{...,"dit",...},"default":{AceRequest defaults}}}.
 * </ul>
 *
 * <p>{@link #lastRequest()} is the AceRequest as parsed (the README's defaults filled in, a
 * mistyped field ignored like yyjson does), plus {@code transport} ("json" or "multipart"),
 * {@code audio} (the upload's byte count, or null) and {@code wav} (whether {@code ?wav=1} was asked).
 */
public final class AceServerSimulator extends BackendSimulator<AceServerSimulator> {
  /** cpp-httplib's payload limit as ace-server sets it. */
  public static final long MAX_BODY = 120L * 1024 * 1024;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int FRAMES_PER_LATENT = 1920; // 48 kHz / 25 Hz
  private static final int PATCH = 2;
  private static final int MAX_LATENTS = 15_000; // silence_latent's length: 600 s

  private final ReentrantLock gpu = new ReentrantLock();
  private volatile String synthStatus = "ok";
  private volatile String lmStatus = "disabled";
  private volatile String dit = "models/acestep-v15-turbo-Q8_0.gguf";
  private volatile int mp3Kbps = 128;
  private volatile boolean outpaint;

  private AceServerSimulator(int port) {
    super(port);
  }

  /** Starts on a free port. */
  public static AceServerSimulator start() {
    return start(0);
  }

  /** Starts on {@code port} (0 = any free one). */
  public static AceServerSimulator start(int port) {
    return new AceServerSimulator(port).startServer();
  }

  // ---------------------------------------------------------------- knobs

  /**
   * The synth pipeline as {@code /props} reports it: "ok" (loaded), "sleeping" (unloaded by
   * {@code --sleep}: still served, reloaded on demand) or "disabled" (not configured: {@code /synth}
   * answers 501).
   */
  public AceServerSimulator synthStatus(String status) {
    synthStatus = status;
    return this;
  }

  /** The LM pipeline as {@code /props} reports it (default "disabled"; {@code /lm} stays 501). */
  public AceServerSimulator lmStatus(String status) {
    lmStatus = status;
    return this;
  }

  /**
   * The {@code --dit} GGUF path {@code /props} reports under {@code cli.dit}: the only way a client
   * can tell the turbo model from the SFT one repaint wants (the server does not refuse repaint on
   * turbo; the README only says turbo does it worse). Default {@code models/acestep-v15-turbo-Q8_0.gguf}.
   */
  public AceServerSimulator ditModel(String ggufPath) {
    dit = ggufPath;
    return this;
  }

  /** {@code --mp3-bitrate} (default 128). */
  public AceServerSimulator mp3Bitrate(int kbps) {
    mp3Kbps = kbps;
    return this;
  }

  /**
   * Off (default): the documented build, whose repaint clamps the region into the source (a negative
   * start reads as 0, an end past the source as its end) so the output keeps the source length.
   * On: an approximation of newer builds, which take a {@code task_type} field, default
   * {@code repainting_start} to 0 and pad the source with silence by {@code -repainting_start} on the
   * left and {@code repainting_end - source} on the right (outpainting); {@code repainting_end = -1}
   * then means the left pad's end when the start is negative, the source's end otherwise. The region
   * is active when {@code task_type} is "repaint" or either bound leaves its default.
   */
  public AceServerSimulator outpaint(boolean on) {
    outpaint = on;
    return this;
  }

  @Override
  protected void onDeath() {
    // the GPU lock dies with the process: its holder was interrupted
  }

  // ---------------------------------------------------------------- HTTP

  @Override
  protected void handle(HttpExchange ex, String method, String path) throws Exception {
    switch (method + " " + path) {
      case "POST /synth" -> synth(ex);
      case "POST /lm" -> error(ex, 501, "LM pipeline not loaded (requires --lm)");
      case "POST /understand" -> error(ex, 501, "Understand pipeline not loaded (requires --lm)");
      case "GET /health" -> {
        if (healthyNow()) send(ex, 200, "application/json", "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        else error(ex, 503, "Server unhealthy");
      }
      case "GET /props" -> sendJson(ex, 200, props());
      default -> send(ex, 404, null, new byte[0]);
    }
  }

  private static void error(HttpExchange ex, int status, String msg) throws IOException {
    sendJson(ex, status, F.objectNode().put("error", msg));
  }

  private ObjectNode props() {
    ObjectNode o = F.objectNode();
    o.putObject("status").put("lm", lmStatus).put("synth", synthStatus);
    ObjectNode cli = o.putObject("cli");
    cli.put("lm", lmStatus.equals("disabled") ? "" : "models/acestep-5Hz-lm-4B-Q8_0.gguf");
    boolean synth = !synthStatus.equals("disabled");
    cli.put("embedding", synth ? "models/Qwen3-Embedding-0.6B-Q8_0.gguf" : "");
    cli.put("dit", synth ? dit : "");
    cli.put("vae", synth ? "models/vae-BF16.gguf" : "");
    cli.put("lora", "");
    cli.put("lora_scale", 1.0);
    cli.put("max_seq", 8192);
    cli.put("max_batch", 1);
    cli.put("mp3_bitrate", mp3Kbps);
    cli.put("vae_chunk", 256);
    cli.put("vae_overlap", 64);
    cli.put("sleep", 0);
    o.set("default", defaults());
    return o;
  }

  /** The AceRequest defaults (README "Request JSON reference", request_init). */
  private static ObjectNode defaults() {
    ObjectNode d = F.objectNode();
    d.put("caption", "").put("lyrics", "").put("bpm", 0).put("duration", 0.0).put("keyscale", "")
        .put("timesignature", "").put("vocal_language", "").put("seed", -1L).put("lm_batch_size", 1)
        .put("synth_batch_size", 1).put("lm_temperature", 0.85).put("lm_cfg_scale", 2.0)
        .put("lm_top_p", 0.9).put("lm_top_k", 0).put("lm_negative_prompt", "").put("use_cot_caption", true)
        .put("inference_steps", 0).put("guidance_scale", 0.0).put("shift", 0.0)
        .put("audio_cover_strength", 0.5).put("repainting_start", -1.0).put("repainting_end", -1.0)
        .put("audio_codes", "");
    return d;
  }

  private static final String[] STRINGS = {
    "caption", "lyrics", "keyscale", "timesignature", "vocal_language", "audio_codes", "lm_negative_prompt", "lego"};
  private static final String[] INTS = {"bpm", "lm_batch_size", "synth_batch_size", "lm_top_k", "inference_steps"};
  private static final String[] FLOATS = {
    "duration", "lm_temperature", "lm_cfg_scale", "lm_top_p", "guidance_scale", "shift",
    "audio_cover_strength", "repainting_start", "repainting_end"};

  /** request_parse_obj: each known field taken only when of the right JSON type. */
  private ObjectNode parseRequest(JsonNode obj) {
    ObjectNode r = defaults();
    r.put("lego", "");
    if (outpaint) { // newer builds: task_type selects the task, the region starts at 0 by default
      r.put("task_type", obj.path("task_type").isTextual() ? obj.get("task_type").asText() : "text2music");
      r.put("repainting_start", 0.0);
    }
    for (String k : STRINGS) if (obj.path(k).isTextual()) r.put(k, obj.get(k).asText());
    for (String k : INTS) if (obj.path(k).isNumber()) r.put(k, (int) obj.get(k).asDouble());
    for (String k : FLOATS) if (obj.path(k).isNumber()) r.put(k, (float) obj.get(k).asDouble());
    if (obj.path("seed").isNumber()) r.put("seed", (long) obj.get("seed").asDouble());
    JsonNode cot = obj.get("use_cot_caption");
    if (cot != null && cot.isBoolean()) r.put("use_cot_caption", cot.asBoolean());
    if (cot != null && cot.isTextual()) r.put("use_cot_caption", cot.asText().equals("true") || cot.asText().equals("1"));
    return r;
  }

  private void synth(HttpExchange ex) throws Exception {
    String cl = ex.getRequestHeaders().getFirst("Content-Length");
    if (cl != null && Long.parseLong(cl.trim()) > MAX_BODY) {
      send(ex, 413, null, new byte[0]);
      return;
    }
    byte[] body = readBody(ex, MAX_BODY);
    if (body == null) {
      send(ex, 413, null, new byte[0]);
      return;
    }
    if (synthStatus.equals("disabled")) {
      error(ex, 501, "Synth pipeline not loaded (requires --embedding --dit --vae)");
      return;
    }
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    boolean wav = "wav=1".equals(ex.getRequestURI().getRawQuery())
        || (ex.getRequestURI().getRawQuery() != null && List.of(ex.getRequestURI().getRawQuery().split("&")).contains("wav=1"));
    List<ObjectNode> reqs = new ArrayList<>();
    byte[] audio = null;
    String transport;
    if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      transport = "multipart";
      List<Multipart.Part> parts;
      try {
        parts = Multipart.parse(body, Multipart.boundary(ct).orElseThrow(() -> new IllegalArgumentException("no boundary")));
      } catch (IllegalArgumentException e) {
        error(ex, 400, "Multipart: missing 'request' part");
        return;
      }
      Multipart.Part request = null;
      Multipart.Part file = null;
      for (Multipart.Part p : parts) {
        if (p.name().equals("request") && request == null) request = p;
        if (p.name().equals("audio") && p.isFile() && file == null) file = p;
      }
      if (request == null) {
        error(ex, 400, "Multipart: missing 'request' part");
        return;
      }
      JsonNode j = Json.parseOrNull(request.data());
      if (j == null || !j.isObject()) {
        error(ex, 400, "Multipart: invalid JSON in 'request' part");
        return;
      }
      reqs.add(parseRequest(j));
      if (file != null) {
        if (file.data().length == 0) {
          error(ex, 400, "Multipart: empty 'audio' part");
          return;
        }
        audio = file.data();
      }
    } else {
      transport = "json";
      JsonNode j = Json.parseOrNull(body);
      boolean ok = j != null && (j.isObject() || j.isArray());
      if (ok && j.isArray()) {
        for (JsonNode e : j) {
          if (!e.isObject()) ok = false;
          else reqs.add(parseRequest(e));
        }
        if (reqs.isEmpty()) ok = false;
      } else if (ok) {
        reqs.add(parseRequest(j));
      }
      if (!ok) {
        error(ex, 400, "Invalid JSON");
        return;
      }
    }
    ObjectNode first = reqs.getFirst();
    ObjectNode recorded = first.deepCopy();
    recorded.put("transport", transport);
    if (audio == null) recorded.putNull("audio");
    else recorded.put("audio", audio.length);
    recorded.put("wav", wav);
    if (reqs.size() > 1) {
      ArrayNode all = recorded.putArray("batch");
      reqs.forEach(all::add);
    }
    recordRequest(recorded, audio);

    int srcFrames = 0;
    if (audio != null) {
      try {
        // any rate is resampled to 48 kHz: what counts is the length in seconds
        srcFrames = SimAudio.frames(SimAudio.decode(audio).seconds());
      } catch (AudioException e) {
        error(ex, 400, "Failed to decode audio");
        return;
      }
    }
    if (first.path("caption").asText().isEmpty() && first.path("lego").asText().isEmpty()) {
      error(ex, 400, "Caption is required");
      return;
    }
    // synth_batch_size expansion, seeds resolved once per request, 9 tracks at most
    List<ObjectNode> tracks = new ArrayList<>();
    for (ObjectNode r : reqs) {
      int n = Math.max(1, r.path("synth_batch_size").asInt(1));
      long seed = r.path("seed").asLong(-1);
      if (seed < 0) seed = ThreadLocalRandom.current().nextLong(0, 4_294_967_296L);
      for (int i = 0; i < n; i++) tracks.add(r.deepCopy().put("seed", seed + i));
    }
    if (tracks.size() > 9) tracks = tracks.subList(0, 9);

    if (!gpu.tryLock()) {
      error503(ex);
      return;
    }
    int frames;
    boolean ok;
    jobAccepted(ex);
    jobStarted();
    try {
      frames = outputFrames(first, audio != null, srcFrames);
      double seconds = frames / (double) SimAudio.SAMPLE_RATE;
      serve(Math.max(0, seconds) * tracks.size(), p -> { });
      ok = frames > 0 && !consumeFailure();
    } catch (InterruptedException | Died e) {
      jobLost();
      throw new Died();
    } finally {
      gpu.unlock();
    }
    jobEnded(ok);
    if (!ok) {
      error(ex, 500, "Synth generation failed");
      return;
    }
    OutputFormat format = wav ? OutputFormat.WAV : OutputFormat.MP3;
    byte[] one = SimAudio.encoded(frames, format, mp3Kbps);
    if (tracks.size() == 1) {
      send(ex, 200, format.contentType(), one);
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < tracks.size(); i++) {
      out.writeBytes(("--ace-batch-boundary\r\nContent-Type: " + format.contentType() + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(one);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("--ace-batch-boundary--\r\n".getBytes(StandardCharsets.ISO_8859_1));
    send(ex, 200, "multipart/mixed; boundary=ace-batch-boundary", out.toByteArray());
  }

  private void error503(HttpExchange ex) throws IOException {
    busyAnswered();
    send(ex, 503, "application/json", "{\"error\":\"Server busy\"}".getBytes(StandardCharsets.UTF_8),
        "Retry-After", "5");
  }

  /** Output length in 48 kHz frames, or -1 where the pipeline would fail (500). */
  private int outputFrames(ObjectNode r, boolean haveSrc, int srcFrames) {
    double rs = r.path("repainting_start").asDouble(-1);
    double re = r.path("repainting_end").asDouble(-1);
    boolean repaint = outpaint
        ? r.path("task_type").asText().equals("repaint") || rs != 0 || re != -1
        : rs >= 0 || re >= 0;
    if (!haveSrc) {
      if (repaint) return -1; // repainting_start/end require source audio
      double d = r.path("duration").asDouble(0);
      if (d <= 0) d = 30.0;
      return grid((int) (d * 25));
    }
    int latents = srcFrames / FRAMES_PER_LATENT;
    if (!repaint) return grid(latents);
    double src = latents * FRAMES_PER_LATENT / (double) SimAudio.SAMPLE_RATE;
    if (!outpaint) {
      double s = Math.min(Math.max(rs, 0), src);
      double e = re < 0 ? src : Math.min(re, src);
      return e > s ? grid(latents) : -1;
    }
    double end = re < 0 ? src : re;
    double left = rs < 0 ? -rs : 0;
    double right = Math.max(0, end - src);
    double s = rs + left;
    double e = re < 0 ? (rs < 0 ? left : src + left) : re + left;
    if (e <= s) return -1;
    return grid((int) Math.round((left + src + right) * 25));
  }

  /** Rounds latents up to the DiT patch and converts to frames; -1 past the 600 s ceiling. */
  private static int grid(int latents) {
    int t = (latents + PATCH - 1) / PATCH * PATCH;
    if (t > MAX_LATENTS || t <= 0) return -1;
    return t * FRAMES_PER_LATENT;
  }
}
