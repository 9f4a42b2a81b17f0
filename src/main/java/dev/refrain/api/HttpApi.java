package dev.refrain.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.auth.ApiKeys;
import dev.refrain.auth.Authenticator;
import dev.refrain.auth.ShutdownGate;
import dev.refrain.billing.Money;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import dev.refrain.core.TaskStatus;
import dev.refrain.core.TaskType;
import dev.refrain.storage.DiskSpace;
import dev.refrain.store.KeyRecord;
import dev.refrain.store.TaskRow;
import dev.refrain.store.TaskStore;
import dev.refrain.task.TaskService;
import dev.refrain.task.TaskView;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task and account routes of ../shared/spec/api.md, the health check, and the rules every answer
 * follows: JSON envelope, status codes.
 */
public final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final ApiKeys keys;
  private final TaskService tasks;
  private final DiskSpace disk;
  private final ShutdownGate gate;
  private final Consumer<String> cancelRunning;
  private final BooleanSupplier healthy;
  private final int defaultMaxConcurrent;
  private final Duration maxWait;
  private final FinishedTasks finished = new FinishedTasks(10_000);

  public HttpApi(ApiKeys keys, TaskService tasks, DiskSpace disk, ShutdownGate gate, Consumer<String> cancelRunning,
      BooleanSupplier healthy, int defaultMaxConcurrent, Duration maxWait) {
    this.keys = keys;
    this.disk = disk;
    this.gate = gate;
    this.tasks = tasks;
    this.cancelRunning = cancelRunning;
    this.healthy = healthy;
    this.defaultMaxConcurrent = defaultMaxConcurrent;
    this.maxWait = maxWait;
  }

  public void configure(JavalinConfig config) {
    var r = config.routes;
    r.post("/api/v1/task", this::create);
    r.get("/api/v1/task/{id}", this::getTask);
    new TaskEvents(tasks, gate::stopping).configure(config);
    r.delete("/api/v1/task/{id}", this::cancel);
    r.post("/api/v1/task/{id}/cancel", this::cancel);
    r.delete("/api/v1/tasks", this::cancelMany);
    r.get("/account/info", this::accountInfo);
    r.get("/account/active_tasks", ctx -> {
      long[] counts = tasks.activeCounts(Authenticator.key(ctx));
      ObjectNode data = Json.object();
      ObjectNode family = data.putObject(TaskType.MODEL);
      family.put("pending_count", counts[0]);
      family.put("processing_count", counts[1]);
      family.put("staged_count", 0);
      Envelope.send(ctx, 200, Envelope.ok(data));
    });
    r.get("/api/open/tasks/histories", this::history);
    r.get("/healthz", ctx -> {
      Optional<String> diskProblem = disk.problem();
      boolean stopping = gate.stopping();
      boolean ok = !stopping && healthy.getAsBoolean() && diskProblem.isEmpty();
      ObjectNode data = Json.object().put("status", ok ? "ok" : stopping ? "shutting down" : "unhealthy");
      data.put("data_dir", diskProblem.orElse("ok"));
      Envelope.send(ctx, ok ? 200 : 503, Envelope.of(ok ? 200 : 503, data, ok ? "success" : "unhealthy"));
    });

    r.exception(ApiError.class, (e, ctx) -> {
      if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
      Envelope.send(ctx, e.status(), Envelope.error(e.status(), e.getMessage()));
    });
    r.exception(HttpResponseException.class, (e, ctx) -> Envelope.send(ctx, e.getStatus(), Envelope.error(e.getStatus(), e.getMessage())));
    r.exception(Exception.class, (e, ctx) -> {
      if (DiskSpace.isFull(e)) {
        log.warn("{} {} refused: the disk is full ({})", ctx.method(), ctx.path(), e.getMessage());
        ApiError full = ApiError.diskFull();
        ctx.header("Retry-After", Long.toString(full.retryAfterSeconds()));
        Envelope.send(ctx, full.status(), Envelope.error(full.status(), full.getMessage()));
        return;
      }
      Optional<BodyLimit.Refusal> refusal = BodyLimit.refusal(e);
      if (refusal.isPresent()) {
        // The client's doing (a body cut off at the limit, malformed, or abandoned): one line, no trace.
        log.debug("{} {}: {} {}", ctx.method(), ctx.path(), refusal.get().status(), refusal.get().message());
        Envelope.send(ctx, refusal.get().status(), Envelope.error(refusal.get().status(), refusal.get().message()));
        return;
      }
      log.error("{} {} failed", ctx.method(), ctx.path(), e);
      Envelope.send(ctx, 500, Envelope.error(500, "internal server error"));
    });
    r.error(404, "*", ctx -> {
      if (!isJsonEnvelope(ctx)) Envelope.send(ctx, 404, Envelope.error(404, "no such endpoint: " + ctx.method() + " " + ctx.path()));
    });
    // Javalin answers a body that stopped coming (Jetty's idle timeout) with its own bare 408.
    r.error(408, "*", ctx -> Envelope.send(ctx, 408, Envelope.error(408, BodyLimit.TIMED_OUT)));
    r.error(405, "*", ctx -> Envelope.send(ctx, 405, Envelope.error(405, "method " + ctx.method() + " is not allowed on " + ctx.path())));
  }

  private static boolean isJsonEnvelope(Context ctx) {
    String ct = ctx.res().getContentType();
    return ct != null && ct.startsWith("application/json") && ctx.result() != null && !ctx.result().isEmpty();
  }

  private void create(Context ctx) throws InterruptedException {
    JsonBody.require(ctx);
    TaskRow t = tasks.create(Authenticator.key(ctx), RequestBody.bytes(ctx), ctx.header("Idempotency-Key"), Forwarding.base(ctx));
    t = awaitPreferred(ctx, Authenticator.key(ctx), t);
    Envelope.send(ctx, 200, Envelope.okWithTimestamp(TaskView.of(t, Forwarding.base(ctx))));
  }

  private void getTask(Context ctx) throws InterruptedException {
    String id = ctx.pathParam("id");
    KeyRecord key = Authenticator.key(ctx);
    String base = Forwarding.base(ctx);
    byte[] data = finished.get(id, key.id(), base);
    if (data == null) {
      TaskRow t = tasks.get(key, id).orElseThrow(() -> notFound(id));
      t = awaitPreferred(ctx, key, t);
      data = Json.bytes(TaskView.of(t, base));
      if (t.finished()) finished.put(id, key.id(), base, data);
    } else if (Prefer.waitSeconds(ctx.header("Prefer")).isPresent()) {
      ctx.header("Preference-Applied", "wait=0");
    }
    ctx.status(200);
    ctx.contentType("application/json");
    ctx.result(Envelope.okWithTimestamp(data));
  }

  /**
   * {@code Prefer: wait=<s>} (RFC 7240): holds the answer until the task ends or the seconds,
   * capped at the configured maximum, pass; the task as it then stands is the answer.
   */
  private TaskRow awaitPreferred(Context ctx, KeyRecord key, TaskRow t) throws InterruptedException {
    Optional<Long> asked = Prefer.waitSeconds(ctx.header("Prefer"));
    if (asked.isEmpty()) return t;
    long seconds = Math.min(asked.get(), maxWait.toSeconds());
    ctx.header("Preference-Applied", "wait=" + seconds);
    if (t.finished() || seconds == 0) return t;
    return tasks.awaitFinished(key, t.id(), Duration.ofSeconds(seconds)).orElse(t);
  }

  private void cancel(Context ctx) {
    String id = ctx.pathParam("id");
    tasks.cancel(Authenticator.key(ctx), id).orElseThrow(() -> notFound(id));
    cancelRunning.accept(id);
    Envelope.send(ctx, 200, Envelope.of(200, null, "task " + id + " canceled"));
  }

  private void cancelMany(Context ctx) {
    long before = secondsParam(ctx, "created_before", System.currentTimeMillis() / 1000);
    String model = ctx.queryParam("model");
    if (model == null || model.isBlank() || model.equalsIgnoreCase("all")) model = null;
    List<String> ids = tasks.cancelPendingBefore(Authenticator.key(ctx), before * 1_000_000, model);
    ObjectNode data = Json.object();
    ArrayNode arr = data.putArray("task_ids");
    ids.forEach(arr::add);
    data.put("count", ids.size());
    Envelope.send(ctx, 200, Envelope.of(200, data, ids.size() + " task(s) canceled"));
  }

  private void accountInfo(Context ctx) {
    KeyRecord k = keys.fresh(Authenticator.key(ctx).id()).orElseThrow();
    ObjectNode d = Json.object();
    d.put("account_id", k.id());
    d.put("account_name", k.name());
    d.put("id", k.id());
    d.put("name", k.name());
    d.put("plan", k.unlimited() ? "unlimited" : "prepaid");
    d.put("is_enable", !k.disabled());
    d.put("admin", k.admin()); // beyond PiAPI: whether the key may manage keys
    d.put("max_concurrent_task_count", k.maxConcurrent() == null ? defaultMaxConcurrent : k.maxConcurrent());
    ObjectNode wallet = Json.object();
    if (k.unlimited()) {
      d.putNull("equivalent_in_usd");
      d.putNull("credits");
      wallet.putNull("point_remain");
    } else {
      double usd = new Money(k.balance()).usdValue();
      d.put("equivalent_in_usd", usd);
      d.put("credits", usd);
      wallet.put("point_remain", k.balance());
    }
    d.set("wallet", wallet);
    Envelope.send(ctx, 200, Envelope.ok(d));
  }

  private void history(Context ctx) {
    int size = (int) longParam(ctx, "page_size", 10, 1, 100);
    // The furthest page whose offset, (page - 1) * page_size, still fits the int the store pages by.
    int page = (int) longParam(ctx, "page", 1, 1, Math.min(Integer.MAX_VALUE, Integer.MAX_VALUE / size + 1L));
    String model = ctx.queryParam("model");
    if (model == null || model.isBlank() || model.equalsIgnoreCase("all")) model = null;
    long from = secondsParam(ctx, "start_time", 0);
    long to = secondsParam(ctx, "end_time", 0);
    // Beyond PiAPI: status and task_type narrow the list, as the web workspace's filters do.
    String status = oneOf(ctx, "status", TaskStatus.ALL);
    String type = oneOf(ctx, "task_type", Arrays.stream(TaskType.values()).map(TaskType::wire).toList());
    TaskService.Page p = tasks.history(Authenticator.key(ctx), new TaskStore.HistoryFilter(model, status, type, from * 1_000_000, to * 1_000_000),
        page, size);
    ObjectNode data = Json.object();
    ArrayNode list = data.putArray("tasks");
    String base = Forwarding.base(ctx);
    p.tasks().forEach(t -> list.add(TaskView.of(t, base)));
    data.put("total", p.total());
    data.put("page", page);
    data.put("page_size", size);
    Envelope.send(ctx, 200, Envelope.ok(data));
  }

  /** An optional query parameter that must be one of {@code allowed}; null when absent. */
  private static String oneOf(Context ctx, String name, List<String> allowed) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) return null;
    v = v.trim();
    if (!allowed.contains(v)) throw ApiError.badRequest(name + " must be one of: " + String.join(", ", allowed));
    return v;
  }

  /** An optional whole-number query parameter from {@code min} to {@code max}; anything else is a 400 naming it. */
  private static long longParam(Context ctx, String name, long dflt, long min, long max) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) return dflt;
    try {
      long n = Long.parseLong(v.trim());
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badRequest(name + " must be a whole number from " + min + " to " + max);
  }

  /** Unix seconds, at most what still fits in microseconds, as the store keeps times. */
  private static long secondsParam(Context ctx, String name, long dflt) {
    return longParam(ctx, name, dflt, 0, Long.MAX_VALUE / 1_000_000);
  }

  private static ApiError notFound(String id) {
    return new ApiError(404, "task " + id + " not found");
  }
}
