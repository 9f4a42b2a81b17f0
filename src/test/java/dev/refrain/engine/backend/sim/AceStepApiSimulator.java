package dev.refrain.engine.backend.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.refrain.audio.AudioClip;
import dev.refrain.audio.AudioException;
import dev.refrain.core.Json;
import dev.refrain.core.OutputFormat;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A stand-in for ACE-Step 1.5's own REST server ({@code acestep-api}, {@code acestep/api_server.py},
 * documented in {@code docs/en/API.md}), faithful to its contract and quirks:
 *
 * <ul>
 *   <li>{@code POST /release_task} takes JSON, {@code application/x-www-form-urlencoded} or
 *       {@code multipart/form-data} (file parts {@code src_audio}/{@code ctx_audio} and
 *       {@code reference_audio}/{@code ref_audio}); answers the envelope
 *       {@code {"data":{"task_id","status":"queued","queue_position"},"code":200,"error":null,"timestamp","extra":null}};
 *       an absolute audio path in a {@code *_audio_path} field is refused with 400
 *       {@code {"detail":"absolute audio file paths are not allowed"}} as recent builds do; a full queue
 *       answers 429 {@code {"detail":"Server busy: queue is full"}}. The running job does not count
 *       against the queue (the worker has taken it out), as in the real {@code asyncio.Queue}.
 *   <li>{@code POST /query_result} {@code {"task_id_list":[...]}} (a list, or a JSON string of one; JSON
 *       or form) answers {@code data:[{task_id, status 0|1|2, result: "<JSON string>", progress_text}]};
 *       {@code result} must be parsed a second time. An unknown or expired id reads
 *       {@code {"task_id", "result":"[]", "status":0}} forever (no {@code progress_text} key, as in the
 *       source). {@code progress_text} is the server's last log line: global, about whichever job ran
 *       last. A failure's entry carries no error text unless {@link #failureErrorText} says otherwise.
 *       A queued or running job older than {@link #taskTimeout} reads status 2.
 *   <li>One job at a time per process, FIFO, in memory: no cancel, no persistence; {@link #restart()}
 *       (or {@link #die()}) loses every job, whose ids then read as unknown.
 *   <li>{@code GET /v1/audio?path=...} serves a result file; {@code GET /health}; {@code GET /v1/stats};
 *       {@code GET /v1/models}. Optional auth ({@link #apiKey}): {@code Authorization: Bearer <key>} or
 *       {@code ai_token} in the body for the POST endpoints, the header only for the GET ones
 *       ({@code /health} is never guarded).
 *   <li>Task types {@code text2music}, {@code cover}, {@code repaint}; output 48 kHz stereo in
 *       {@code audio_format} (mp3 default, wav, flac), {@code batch_size} files per job (default 2 as
 *       documented, max 8). Duration: text2music the asked {@code audio_duration} (10..600, default
 *       {@link #DEFAULT_DURATION} when absent, standing for the LM's pick); cover the source's length;
 *       repaint the source padded by {@code max(0, -repainting_start)} on the left and by
 *       {@code max(0, repainting_end - source)} on the right ({@code repainting_end} absent or negative
 *       = source end). Every duration is then silently clamped to {@link #maxDurationSeconds} (the GPU
 *       memory tier), while {@code metas.duration} still says what was asked.
 * </ul>
 *
 * <p>A {@code reference_audio} upload steers the style (timbre) of the music, text2music included. The
 * server reads it as its {@code process_reference_audio} does: a file it cannot decode, or silence,
 * is dropped without a word and the job runs as if none had been sent.
 *
 * <p>{@link #lastRequest()} is an object with the canonical field names as this server resolved them
 * (aliases applied, absent = null), {@code transport} ("json", "form", "multipart"), the byte sizes of
 * {@code src_audio} and {@code reference_audio} uploads, {@code reference_seconds} (the length of the
 * reference the server could use; null when none was sent or it was dropped), and {@code raw} (the
 * fields as sent). {@link #lastReferenceBytes()} holds the reference as uploaded.
 */
public final class AceStepApiSimulator extends BackendSimulator<AceStepApiSimulator> {
  /** Seconds a text2music job makes when it names no duration (the LM would pick one). */
  public static final double DEFAULT_DURATION = 30.0;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final long MAX_BODY = 256L << 20;

  private static final class Job {
    final String id = UUID.randomUUID().toString();
    final long createdMs = System.currentTimeMillis();
    final ObjectNode fields;
    final byte[] src;
    final byte[] ref;
    volatile String status = "queued";
    volatile String stage = "queued";
    volatile double progress;
    volatile ArrayNode entries;
    volatile long startedMs;
    volatile long finishedMs;

    Job(ObjectNode fields, byte[] src, byte[] ref) {
      this.fields = fields;
      this.src = src;
      this.ref = ref;
    }
  }

  // knobs
  private volatile String apiKey;
  private volatile int queueCapacity = 200;
  private volatile double maxDurationSeconds = 600;
  private volatile String failureErrorText;
  private volatile Duration resultTtl;
  private volatile Duration taskTimeout = Duration.ofHours(1);
  private volatile byte[] lastReference;

  // process state (lost at every death)
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final LinkedBlockingDeque<Job> waiting = new LinkedBlockingDeque<>();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private volatile Job current;
  private volatile Thread worker;
  private volatile String progressText = "";
  private volatile double avgJobSeconds = 5.0;
  private int finishedForAvg;

  private AceStepApiSimulator(int port) {
    super(port);
  }

  /** Starts on a free port. */
  public static AceStepApiSimulator start() {
    return start(0);
  }

  /** Starts on {@code port} (0 = any free one). */
  public static AceStepApiSimulator start(int port) {
    AceStepApiSimulator s = new AceStepApiSimulator(port);
    s.startWorker();
    return s.startServer();
  }

  // ---------------------------------------------------------------- knobs

  /**
   * Requires this key ({@code ACESTEP_API_KEY}): 401 {@code {"detail":...}} without it. Null (the
   * default) disables auth.
   */
  public AceStepApiSimulator apiKey(String key) {
    apiKey = key;
    return this;
  }

  /** {@code ACESTEP_QUEUE_MAXSIZE} (default 200): jobs waiting beyond the running one. */
  public AceStepApiSimulator queueCapacity(int n) {
    queueCapacity = n;
    return this;
  }

  /**
   * The GPU memory tier's longest output: longer results are silently cut to this (default 600).
   */
  public AceStepApiSimulator maxDurationSeconds(double s) {
    maxDurationSeconds = s;
    return this;
  }

  /**
   * Failures say nothing by default ({@code "error": null}, as documented). Recent builds copy the
   * job's exception text into the result entry's {@code error}; set it here to mimic them.
   */
  public AceStepApiSimulator failureErrorText(String text) {
    failureErrorText = text;
    return this;
  }

  /**
   * Finished jobs are forgotten this long after they end (the local cache's expiry); they then read
   * as unknown: status 0, result "[]". Null (default) keeps them while the process lives.
   */
  public AceStepApiSimulator resultTtl(Duration ttl) {
    resultTtl = ttl;
    return this;
  }

  /**
   * A job still queued or running this long after submission reads status 2 ({@code TASK_TIMEOUT_SECONDS},
   * default one hour) though the worker goes on with it.
   */
  public AceStepApiSimulator taskTimeout(Duration t) {
    taskTimeout = t;
    return this;
  }

  /** A restart of the process: {@link #die()} then {@link #revive()}. Every job is lost. */
  public AceStepApiSimulator restart() {
    die();
    return revive();
  }

  /** The raw bytes of the last {@code reference_audio} (or {@code ref_audio}) upload; null if the last request had none. */
  public byte[] lastReferenceBytes() {
    return lastReference;
  }

  /** Jobs waiting (not counting the running one). */
  public int queueSize() {
    return waiting.size();
  }

  // ---------------------------------------------------------------- lifecycle hooks

  @Override
  protected void onDeath() {
    Thread w = worker;
    worker = null;
    if (w != null) w.interrupt();
    queuedJobsLost(waiting.size());
    waiting.clear();
    jobs.clear();
    progressText = "";
  }

  @Override
  protected void onRevive() {
    startWorker();
  }

  private void startWorker() {
    int e = epoch();
    worker = Thread.ofVirtual().name("acestep-api-sim-worker").start(() -> work(e));
  }

  private void work(int myEpoch) {
    while (epoch() == myEpoch) {
      Job job;
      try {
        job = waiting.take();
      } catch (InterruptedException e) {
        return;
      }
      if (epoch() != myEpoch) {
        queuedJobsLost(1); // taken from the queue just before the death cleared it
        return;
      }
      current = job;
      jobStarted();
      boolean ended;
      try {
        ended = run(job, myEpoch);
      } catch (InterruptedException e) {
        jobLost();
        return;
      } finally {
        current = null;
      }
      if (!ended) {
        jobLost();
        return;
      }
    }
  }

  /**
   * One job on the "GPU". True when it ended (succeeded or failed), counted the moment its result
   * becomes readable; false when the process died first.
   */
  private boolean run(Job job, int myEpoch) throws InterruptedException {
    job.startedMs = System.currentTimeMillis();
    job.status = "running";
    job.stage = "running";
    progressText = "[API Server] Job " + job.id + " started";
    String task = text(job.fields, "task_type", "text2music");
    Double seconds = plan(job, task);
    serve(seconds == null ? 0 : Math.min(seconds, maxDurationSeconds), p -> {
      job.progress = p;
      progressText = String.format(Locale.ROOT, "[API Server] Job %s: %s %.0f%%", job.id, task, p * 100);
    });
    boolean fail = consumeFailure() || seconds == null;
    if (!fail) {
      try {
        job.entries = succeed(job, Math.min(seconds, maxDurationSeconds));
      } catch (RuntimeException e) {
        fail = true;
      }
    }
    if (fail) job.entries = failed(job);
    if (epoch() != myEpoch) return false;
    job.status = fail ? "failed" : "succeeded";
    job.stage = job.status;
    job.progress = fail ? 0 : 1;
    jobEnded(!fail); // before /query_result can report it, so no client sees it done while it still counts
    job.finishedMs = System.currentTimeMillis();
    progressText = "[API Server] Job " + job.id + (fail ? " failed" : " done");
    synchronized (this) {
      double took = (job.finishedMs - job.startedMs) / 1000.0;
      finishedForAvg = Math.min(finishedForAvg + 1, 50);
      avgJobSeconds += (took - avgJobSeconds) / finishedForAvg;
    }
    return true;
  }

  /** The output length in seconds, before the tier clamp; null when the job cannot run. */
  private static Double plan(Job job, String task) {
    switch (task) {
      case "text2music" -> {
        Double d = number(job.fields, "audio_duration");
        double s = d == null || d <= 0 ? DEFAULT_DURATION : d;
        return Math.clamp(s, 10.0, 600.0);
      }
      case "cover", "repaint" -> {
        if (job.src == null) return null; // a relative *_path would name a file this server lacks
        double src;
        try {
          src = SimAudio.secondsOf(job.src);
        } catch (AudioException e) {
          return null;
        }
        if (task.equals("cover")) return src;
        Double start = number(job.fields, "repainting_start");
        Double end = number(job.fields, "repainting_end");
        double s = start == null ? 0 : start;
        double e = end == null || end < 0 ? src : end;
        double left = Math.max(0, -s);
        double right = Math.max(0, e - src);
        if (e <= s) return null;
        return left + src + right;
      }
      default -> {
        return null; // lego, extract, complete need the base model; not simulated
      }
    }
  }

  private ArrayNode succeed(Job job, double seconds) {
    OutputFormat format = OutputFormat.parse(text(job.fields, "audio_format", "mp3")).orElse(OutputFormat.MP3);
    Integer asked = integer(job.fields, "batch_size");
    int batch = Math.clamp(asked == null ? 2 : asked, 1, 8);
    byte[] audio = SimAudio.encoded(SimAudio.frames(seconds), format, 128);
    List<String> seeds = new ArrayList<>();
    boolean random = bool(job.fields, "use_random_seed", true);
    JsonNode seed = job.fields.get("seed");
    long base = seed != null && seed.canConvertToLong() ? seed.asLong() : -1;
    for (int i = 0; i < batch; i++) {
      long s = random || base < 0 ? ThreadLocalRandom.current().nextLong(0, 4_294_967_296L) : base + i;
      seeds.add(Long.toString(s));
    }
    String seedValue = String.join(",", seeds);
    ObjectNode metas = F.objectNode();
    putOrNa(metas, "bpm", job.fields.get("bpm"));
    Double asked2 = number(job.fields, "audio_duration");
    if (text(job.fields, "task_type", "text2music").equals("text2music")) {
      metas.put("duration", asked2 == null || asked2 <= 0 ? DEFAULT_DURATION : asked2);
    } else {
      putOrNa(metas, "duration", asked2 == null || asked2 <= 0 ? null : F.numberNode(asked2));
    }
    metas.put("genres", "N/A");
    putOrNa(metas, "keyscale", job.fields.get("key_scale"));
    putOrNa(metas, "timesignature", job.fields.get("time_signature"));
    metas.put("prompt", text(job.fields, "prompt", ""));
    metas.put("lyrics", text(job.fields, "lyrics", ""));
    ArrayNode entries = F.arrayNode();
    for (int i = 0; i < batch; i++) {
      String path = "/tmp/acestep/api_audio/" + UUID.randomUUID() + "." + format.extension();
      files.put(path, audio);
      ObjectNode e = entries.addObject();
      e.put("file", "/v1/audio?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
      e.put("wave", "");
      e.put("status", 1);
      e.put("create_time", job.createdMs / 1000);
      e.put("env", "development");
      e.put("prompt", text(job.fields, "prompt", ""));
      e.put("lyrics", text(job.fields, "lyrics", ""));
      e.set("metas", metas.deepCopy());
      e.put("generation_info", String.format(Locale.ROOT, "simulated %s, %d steps, %d audio(s)",
          text(job.fields, "task_type", "text2music"), integerOr(job.fields, "inference_steps", 8), batch));
      e.put("seed_value", seedValue);
      e.put("lm_model", bool(job.fields, "thinking", false) ? "acestep-5Hz-lm-0.6B" : "");
      e.put("dit_model", text(job.fields, "model", "acestep-v15-turbo"));
      e.put("progress", 1.0);
      e.put("stage", "succeeded");
    }
    return entries;
  }

  private ArrayNode failed(Job job) {
    ArrayNode a = F.arrayNode();
    ObjectNode e = a.addObject();
    e.put("file", "");
    e.put("wave", "");
    e.put("status", 2);
    e.put("create_time", job.createdMs / 1000);
    e.put("env", "development");
    e.put("progress", 0.0);
    e.put("stage", "failed");
    String err = failureErrorText;
    if (err == null) e.putNull("error");
    else e.put("error", err);
    return a;
  }

  private static void putOrNa(ObjectNode o, String k, JsonNode v) {
    if (v == null || v.isNull() || v.asText().isEmpty()) o.put(k, "N/A");
    else o.set(k, v);
  }

  // ---------------------------------------------------------------- HTTP

  @Override
  protected void handle(HttpExchange ex, String method, String path) throws Exception {
    switch (path) {
      case "/release_task" -> {
        if (post(ex, method)) releaseTask(ex);
      }
      case "/query_result" -> {
        if (post(ex, method)) queryResult(ex);
      }
      case "/health" -> {
        if (!get(ex, method)) return;
        if (!healthyNow()) {
          detail(ex, 503, "Service Unavailable");
          return;
        }
        ObjectNode d = F.objectNode().put("status", "ok").put("service", "ACE-Step API").put("version", "1.0");
        sendJson(ex, 200, envelope(d));
      }
      case "/v1/stats" -> {
        if (get(ex, method) && headerAuth(ex)) stats(ex);
      }
      case "/v1/models" -> {
        if (!get(ex, method) || !headerAuth(ex)) return;
        ObjectNode d = F.objectNode();
        d.putArray("models").addObject().put("name", "acestep-v15-turbo").put("is_default", true);
        d.put("default_model", "acestep-v15-turbo");
        sendJson(ex, 200, envelope(d));
      }
      case "/v1/audio" -> {
        if (get(ex, method) && headerAuth(ex)) audio(ex);
      }
      default -> detail(ex, 404, "Not Found");
    }
  }

  private static boolean post(HttpExchange ex, String method) throws IOException {
    if (method.equals("POST")) return true;
    detail(ex, 405, "Method Not Allowed");
    return false;
  }

  private static boolean get(HttpExchange ex, String method) throws IOException {
    if (method.equals("GET")) return true;
    detail(ex, 405, "Method Not Allowed");
    return false;
  }

  private static void detail(HttpExchange ex, int status, String text) throws IOException {
    sendJson(ex, status, F.objectNode().put("detail", text));
  }

  private static ObjectNode envelope(JsonNode data) {
    ObjectNode o = F.objectNode();
    o.set("data", data);
    o.put("code", 200);
    o.putNull("error");
    o.put("timestamp", System.currentTimeMillis());
    o.putNull("extra");
    return o;
  }

  /** The GET endpoints' guard: the Authorization header only. */
  private boolean headerAuth(HttpExchange ex) throws IOException {
    String key = apiKey;
    if (key == null) return true;
    String h = ex.getRequestHeaders().getFirst("Authorization");
    if (h == null || h.isEmpty()) {
      detail(ex, 401, "Missing Authorization header");
      return false;
    }
    String token = h.startsWith("Bearer ") ? h.substring(7) : h;
    if (!token.equals(key)) {
      detail(ex, 401, "Invalid API key");
      return false;
    }
    return true;
  }

  /** The POST endpoints' guard: {@code ai_token} in the body first, then the header. */
  private boolean bodyAuth(HttpExchange ex, ObjectNode body) throws IOException {
    String key = apiKey;
    if (key == null) return true;
    JsonNode t = body.get("ai_token");
    if (t != null && !t.isNull() && !t.asText().isEmpty()) {
      if (t.asText().equals(key)) return true;
      detail(ex, 401, "Invalid ai_token");
      return false;
    }
    String h = ex.getRequestHeaders().getFirst("Authorization");
    if (h != null && !h.isEmpty()) {
      String token = h.startsWith("Bearer ") ? h.substring(7) : h;
      if (token.equals(key)) return true;
      detail(ex, 401, "Invalid API key");
      return false;
    }
    detail(ex, 401, "Missing ai_token or Authorization header");
    return false;
  }

  /** The parsed body: fields, transport and uploads; null once an error has been answered. */
  private record Body(ObjectNode fields, String transport, byte[] src, byte[] ref) {}

  private Body parseBody(HttpExchange ex, boolean allowMultipart) throws IOException {
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    String type = ct == null ? "" : ct.toLowerCase(Locale.ROOT);
    byte[] raw = readBody(ex, MAX_BODY);
    if (raw == null) {
      detail(ex, 413, "Request Entity Too Large");
      return null;
    }
    if (type.startsWith("application/json") || type.split(";")[0].trim().endsWith("+json")) {
      return json(ex, raw, "Malformed JSON payload");
    }
    if (allowMultipart && type.startsWith("multipart/form-data")) {
      String boundary = Multipart.boundary(ct).orElse(null);
      List<Multipart.Part> parts;
      try {
        if (boundary == null) throw new IllegalArgumentException("no boundary");
        parts = Multipart.parse(raw, boundary);
      } catch (IllegalArgumentException e) {
        detail(ex, 400, "There was an error parsing the body");
        return null;
      }
      ObjectNode fields = F.objectNode();
      byte[] src = null;
      byte[] ref = null;
      byte[] ctx = null;
      byte[] refAlt = null;
      for (Multipart.Part p : parts) {
        if (!p.isFile()) {
          fields.put(p.name(), p.text());
          continue;
        }
        switch (p.name()) {
          case "src_audio" -> src = p.data();
          case "ctx_audio" -> ctx = p.data();
          case "reference_audio" -> refAlt = p.data();
          case "ref_audio" -> ref = p.data();
          default -> { } // other uploads are ignored
        }
      }
      return new Body(fields, "multipart", ctx != null ? ctx : src, ref != null ? ref : refAlt);
    }
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
      return new Body(form(raw), "form", null, null);
    }
    String s = new String(raw, StandardCharsets.UTF_8).stripLeading();
    if (s.startsWith("{") || s.startsWith("[")) {
      return json(ex, raw, "Invalid JSON body (hint: set 'Content-Type: application/json')");
    }
    if (!s.isEmpty() && s.contains("=")) return new Body(form(raw), "form", null, null);
    detail(ex, 415, "Unsupported Content-Type: " + (type.isEmpty() ? "(missing)" : type)
        + "; use application/json, application/x-www-form-urlencoded, or multipart/form-data");
    return null;
  }

  private Body json(HttpExchange ex, byte[] raw, String malformed) throws IOException {
    JsonNode n = Json.parseOrNull(raw);
    if (n == null) {
      detail(ex, 400, malformed);
      return null;
    }
    if (!n.isObject()) {
      detail(ex, 400, "JSON payload must be an object");
      return null;
    }
    return new Body((ObjectNode) n, "json", null, null);
  }

  private static ObjectNode form(byte[] raw) {
    ObjectNode o = F.objectNode();
    for (String pair : new String(raw, StandardCharsets.UTF_8).split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (!o.has(k)) o.put(k, v);
    }
    return o;
  }

  private void releaseTask(HttpExchange ex) throws IOException {
    Body body = parseBody(ex, true);
    if (body == null || !bodyAuth(ex, body.fields())) return;
    ObjectNode raw = body.fields();
    for (String[] names : new String[][] {{"src_audio_path", "ctx_audio_path"}, {"reference_audio_path", "ref_audio_path"}}) {
      for (String name : names) {
        String p = raw.path(name).asText("").trim();
        if (p.isEmpty()) continue;
        if (p.startsWith("/") || p.startsWith("\\") || p.matches("^[A-Za-z]:[\\\\/].*")) {
          detail(ex, 400, "absolute audio file paths are not allowed");
          return;
        }
        if (List.of(p.split("[\\\\/]")).contains("..")) {
          detail(ex, 400, "path traversal in audio file paths is not allowed");
          return;
        }
      }
    }
    ObjectNode fields = canonical(raw);
    fields.put("transport", body.transport());
    putSize(fields, "src_audio", body.src());
    putSize(fields, "reference_audio", body.ref());
    Double reference = usableSeconds(body.ref());
    if (reference == null) fields.putNull("reference_seconds");
    else fields.put("reference_seconds", reference);
    fields.set("raw", raw);
    recordRequest(fields, body.src());
    lastReference = body.ref();
    Job job = new Job(fields, body.src(), body.ref());
    int position;
    synchronized (waiting) {
      if (waiting.size() >= queueCapacity) {
        busyAnswered();
        detail(ex, 429, "Server busy: queue is full");
        return;
      }
      position = waiting.size() + 1; // counted before the worker can take it, as pending_ids is
      jobs.put(job.id, job);
      jobAccepted(ex);
      waiting.add(job);
    }
    ObjectNode d = F.objectNode().put("task_id", job.id).put("status", "queued").put("queue_position", position);
    sendJson(ex, 200, envelope(d));
  }

  /** The seconds of a reference the server can use: null for none, undecodable bytes or silence (all under 1e-6). */
  private static Double usableSeconds(byte[] reference) {
    if (reference == null) return null;
    AudioClip clip;
    try {
      clip = SimAudio.decode(reference);
    } catch (AudioException e) {
      return null;
    }
    for (float[] channel : clip.channels()) {
      for (float v : channel) {
        if (Math.abs(v) >= 1e-6) return clip.seconds();
      }
    }
    return null;
  }

  private static void putSize(ObjectNode o, String k, byte[] b) {
    if (b == null) o.putNull(k);
    else o.put(k, b.length);
  }

  private void queryResult(HttpExchange ex) throws IOException {
    Body body = parseBody(ex, true);
    if (body == null || !bodyAuth(ex, body.fields())) return;
    JsonNode list = body.fields().get("task_id_list");
    if (list != null && list.isTextual()) {
      list = Json.parseOrNull(list.asText().getBytes(StandardCharsets.UTF_8));
    }
    ArrayNode data = F.arrayNode();
    if (list != null && list.isArray()) {
      for (JsonNode idNode : list) data.add(item(idNode));
    }
    sendJson(ex, 200, envelope(data));
  }

  private ObjectNode item(JsonNode idNode) {
    String id = idNode.asText();
    Job job = jobs.get(id);
    Duration ttl = resultTtl;
    long now = System.currentTimeMillis();
    if (job != null && ttl != null && job.finishedMs > 0 && now - job.finishedMs > ttl.toMillis()) {
      jobs.remove(id, job);
      job = null;
    }
    ObjectNode o = F.objectNode();
    o.set("task_id", idNode);
    if (job == null) {
      o.put("result", "[]");
      o.put("status", 0);
      return o;
    }
    ArrayNode entries = job.entries;
    int status;
    if (entries != null && job.finishedMs > 0) {
      status = job.status.equals("succeeded") ? 1 : 2;
    } else {
      entries = F.arrayNode();
      ObjectNode e = entries.addObject();
      e.put("file", "");
      e.put("wave", "");
      e.put("status", 0);
      e.put("create_time", job.createdMs / 1000);
      e.put("env", "development");
      if (job.status.equals("queued")) { // never cached yet: the store's shape
        e.put("prompt", "");
        e.put("lyrics", "");
        e.putObject("metas");
        e.put("progress", 0.0);
        e.put("stage", "queued");
        e.putNull("error");
      } else {
        e.put("progress", job.progress);
        e.put("stage", job.stage);
      }
      status = now - job.createdMs > taskTimeout.toMillis() ? 2 : 0;
    }
    o.put("result", Json.write(entries));
    o.put("status", status);
    o.put("progress_text", progressText);
    return o;
  }

  private void stats(HttpExchange ex) throws IOException {
    int queued = 0;
    int run = 0;
    int ok = 0;
    int failed = 0;
    for (Job j : jobs.values()) {
      switch (j.status) {
        case "queued" -> queued++;
        case "running" -> run++;
        case "succeeded" -> ok++;
        default -> failed++;
      }
    }
    ObjectNode d = F.objectNode();
    d.putObject("jobs").put("total", jobs.size()).put("queued", queued).put("running", run)
        .put("succeeded", ok).put("failed", failed);
    d.put("queue_size", waiting.size());
    d.put("queue_maxsize", queueCapacity);
    d.put("avg_job_seconds", avgJobSeconds);
    sendJson(ex, 200, envelope(d));
  }

  private void audio(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    String path = null;
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("path=")) path = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
      }
    }
    if (path == null) {
      ObjectNode err = F.objectNode();
      err.putArray("detail").addObject().put("type", "missing").put("msg", "Field required")
          .putArray("loc").add("query").add("path");
      sendJson(ex, 422, err);
      return;
    }
    byte[] b = files.get(path);
    if (b == null) {
      detail(ex, 404, "Audio file not found: " + path);
      return;
    }
    String ext = path.substring(path.lastIndexOf('.') + 1);
    String type = OutputFormat.parse(ext).map(OutputFormat::contentType).orElse("application/octet-stream");
    send(ex, 200, type, b);
  }

  // ---------------------------------------------------------------- fields

  /** Canonical name, then the aliases the server accepts (docs/en/API.md, 4.2). */
  private static final String[][] ALIASES = {
    {"task_type", "taskType"},
    {"prompt", "caption"},
    {"lyrics"},
    {"audio_duration", "duration", "target_duration", "audioDuration", "targetDuration"},
    {"bpm"},
    {"key_scale", "keyscale", "keyScale"},
    {"time_signature", "timesignature", "timeSignature"},
    {"vocal_language", "vocalLanguage"},
    {"batch_size", "batchSize"},
    {"seed"},
    {"use_random_seed", "useRandomSeed"},
    {"inference_steps", "inferenceSteps"},
    {"guidance_scale", "guidanceScale"},
    {"shift"},
    {"audio_cover_strength", "audioCoverStrength"},
    {"repainting_start", "repaintingStart"},
    {"repainting_end", "repaintingEnd"},
    {"audio_format", "audioFormat"},
    {"model"},
    {"thinking"},
  };

  private static ObjectNode canonical(ObjectNode raw) {
    ObjectNode metas = null;
    for (String m : new String[] {"metas", "metadata", "user_metadata"}) {
      JsonNode n = raw.get(m);
      if (n != null && n.isTextual()) n = Json.parseOrNull(n.asText().getBytes(StandardCharsets.UTF_8));
      if (n != null && n.isObject()) {
        metas = (ObjectNode) n;
        break;
      }
    }
    ObjectNode out = F.objectNode();
    for (String[] names : ALIASES) {
      JsonNode v = null;
      for (String n : names) {
        v = raw.get(n);
        if (v != null && !v.isNull()) break;
        if (metas != null) v = metas.get(n);
        if (v != null && !v.isNull()) break;
      }
      if (v == null || v.isNull()) out.putNull(names[0]);
      else out.set(names[0], v);
    }
    return out;
  }

  private static String text(ObjectNode o, String k, String dflt) {
    JsonNode v = o.get(k);
    return v == null || v.isNull() || v.asText().isEmpty() ? dflt : v.asText();
  }

  private static Double number(ObjectNode o, String k) {
    JsonNode v = o.get(k);
    if (v == null || v.isNull()) return null;
    if (v.isNumber()) return v.asDouble();
    try {
      return Double.parseDouble(v.asText().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Integer integer(ObjectNode o, String k) {
    Double d = number(o, k);
    return d == null ? null : (int) Math.round(d);
  }

  private static int integerOr(ObjectNode o, String k, int dflt) {
    Integer i = integer(o, k);
    return i == null ? dflt : i;
  }

  private static boolean bool(ObjectNode o, String k, boolean dflt) {
    JsonNode v = o.get(k);
    if (v == null || v.isNull()) return dflt;
    if (v.isBoolean()) return v.asBoolean();
    String s = v.asText().trim().toLowerCase(Locale.ROOT);
    return s.equals("true") || s.equals("1") || s.equals("yes") || s.equals("on");
  }
}
