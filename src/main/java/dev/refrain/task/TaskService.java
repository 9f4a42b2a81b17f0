package dev.refrain.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.billing.Money;
import dev.refrain.billing.Pricing;
import dev.refrain.core.ApiError;
import dev.refrain.core.InputFields;
import dev.refrain.core.Json;
import dev.refrain.core.TaskInput;
import dev.refrain.core.TaskStatus;
import dev.refrain.core.TaskType;
import dev.refrain.storage.DiskSpace;
import dev.refrain.storage.Uploads;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.KeyRecord;
import dev.refrain.store.StoreException;
import dev.refrain.store.TaskRow;
import dev.refrain.store.TaskStore;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** What a client can do with tasks: create, read, list and cancel its own. */
public final class TaskService {
  /**
   * Settings the service needs. {@code webhookHostRefusal} says why a webhook endpoint's host may
   * not be called (a private address the operator did not allow), or nothing.
   */
  public record Settings(TaskRequest.Limits limits, int maxPendingPerKey, Duration idempotencyTtl,
      Function<String, Optional<String>> webhookHostRefusal) {}

  /** One page of a key's history. */
  public record Page(List<TaskRow> tasks, long total) {}

  private static final SecureRandom SEEDS = new SecureRandom();
  /** How often a waiting request reads its task even without a wake-up (one lost across nodes, say). */
  public static final long RECHECK_MILLIS = 2_000;

  private final Database db;
  private final DiskSpace disk;
  private final TaskStore tasks = new TaskStore();
  private final Transitions transitions;
  private final TaskAdmission admission;
  private final Pricing pricing;
  private final Uploads uploads;
  private final Settings settings;
  private final Function<TaskType, Optional<String>> engineFor;
  private final Runnable dispatchSignal;

  public TaskService(Database db, Transitions transitions, Pricing pricing, Uploads uploads, DiskSpace disk, Settings settings,
      Function<TaskType, Optional<String>> engineFor, Runnable dispatchSignal) {
    this.db = db;
    this.disk = disk;
    this.transitions = transitions;
    this.admission = new TaskAdmission(db, transitions, settings.maxPendingPerKey(), settings.idempotencyTtl());
    transitions.claimsRun(admission::along); // a claim shares the next batch of creates' commit
    this.pricing = pricing;
    this.uploads = uploads;
    this.settings = settings;
    this.engineFor = engineFor;
    this.dispatchSignal = dispatchSignal;
  }

  /**
   * Creates a pending task. With an idempotency key, a repeat of the same body within the TTL
   * returns the original task; a different body is a 409.
   *
   * @param base the base URL the request came by, kept with the task: its inline audio's URL, its
   *     webhook's audio_url and the reading back of its own files go by it
   */
  public TaskRow create(KeyRecord key, byte[] body, String idempotencyKey, String base) {
    if (disk.problem().isPresent()) throw ApiError.diskFull();
    ObjectNode json = RequestJson.object(body);
    TaskRequest req = TaskRequest.parse(json, settings.limits());
    if (req.webhookEndpoint() != null) {
      // Refused now rather than dropped unsent at every delivery, as the client would never learn.
      settings.webhookHostRefusal().apply(URI.create(req.webhookEndpoint()).getHost()).ifPresent(why -> {
        throw ApiError.badRequest("config.webhook_config.endpoint must be on a public address (" + why + ")");
      });
    }
    String engine = engineFor.apply(req.type()).orElseThrow(() ->
        ApiError.badRequest("task_type " + req.type().wire() + " is not served here: no configured backend serves it"));
    // Canonical form: whitespace and escapes do not make a body "different". Only idempotent creates compare bodies.
    String hash = idempotencyKey == null ? null : sha256(Json.bytes(json));
    if (idempotencyKey != null) {
      if (idempotencyKey.isEmpty() || idempotencyKey.length() > 255) {
        throw ApiError.badRequest("Idempotency-Key header must be 1 to 255 characters");
      }
      Optional<TaskRow> prior = replay(key, idempotencyKey, hash);
      if (prior.isPresent()) return prior.get();
    }
    if (req.audio() instanceof AudioField.Inline) {
      // A first look, so that a refused request stores no inline audio; the count that holds is the admission's.
      checkPending(db.read(c -> tasks.activeCounts(c, key.id()))[0]);
    }

    String id = TaskIds.next();
    TaskInput input = req.input();
    if (req.audio() instanceof AudioField.Inline inline) {
      String field = InputFields.audioField(req.type());
      input = input.withAudioUrl(uploads.store(key.id(), "inputs/" + id + "/" + field, field, inline.bytes(), base));
    }
    long seed = input.seed() != null ? input.seed() : SEEDS.nextInt(Integer.MAX_VALUE);
    long frozen = pricing.estimate(input);
    long now = Clock.nowMicros();
    List<String> logs = new ArrayList<>();
    logs.add("queued for engine " + engine + (input.seed() == null ? " with drawn seed " + seed : ""));
    TaskRow row = new TaskRow(id, key.id(), req.model(), req.type().wire(), TaskStatus.PENDING, engine,
        Json.write(input), Json.write(req.config()), req.webhookEndpoint(), req.webhookSecret(), null,
        0, null, null, Json.write(logs), 0, null, seed, now, 0, 0, frozen, 0, idempotencyKey,
        hash, 0, null, 0, 0, base);
    TaskAdmission.Outcome outcome;
    try {
      outcome = admission.admit(row);
    } catch (StoreException e) {
      // Two identical requests raced on the same idempotency key: the loser returns the winner's task.
      if (idempotencyKey != null) {
        Optional<TaskRow> prior = replay(key, idempotencyKey, hash);
        if (prior.isPresent()) return prior.get();
      }
      throw e;
    }
    return switch (outcome) {
      case TaskAdmission.Outcome.Created created -> {
        transitions.afterCommit(row);
        dispatchSignal.run();
        yield row;
      }
      case TaskAdmission.Outcome.Replayed replayed -> replayed.prior();
      case TaskAdmission.Outcome.Conflict conflict -> throw conflict(idempotencyKey);
      case TaskAdmission.Outcome.TooManyPending tooMany -> throw tooManyPending(tooMany.pending());
      case TaskAdmission.Outcome.Insufficient insufficient -> throw new ApiError(402, "insufficient credits: this task holds " + frozen
          + " units ($" + new Money(frozen) + ") until it finishes; the key has " + insufficient.balance() + " units ($"
          + new Money(insufficient.balance()) + ")");
    };
  }

  private void checkPending(long pending) {
    if (pending >= settings.maxPendingPerKey()) throw tooManyPending(pending);
  }

  private ApiError tooManyPending(long pending) {
    return new ApiError(429, "too many pending tasks for this key (" + pending + ", the limit is "
        + settings.maxPendingPerKey() + "); wait for some to finish", 5);
  }

  private static ApiError conflict(String idempotencyKey) {
    return new ApiError(409, "Idempotency-Key '" + idempotencyKey + "' was already used with a different request body");
  }

  private Optional<TaskRow> replay(KeyRecord key, String idempotencyKey, String hash) {
    Optional<TaskRow> prior = db.read(c -> tasks.byIdempotencyKey(c, key.id(), idempotencyKey));
    if (prior.isEmpty()) return Optional.empty();
    long age = Clock.nowMicros() - prior.get().createdAt();
    if (age > settings.idempotencyTtl().toNanos() / 1_000) {
      db.tx(c -> {
        tasks.forgetIdempotencyKey(c, prior.get().id());
        return null;
      });
      return Optional.empty();
    }
    if (!hash.equals(prior.get().requestHash())) throw conflict(idempotencyKey);
    return prior;
  }

  /** The key's task; empty for unknown ids and for other keys' tasks alike. */
  public Optional<TaskRow> get(KeyRecord key, String id) {
    if (!isUuid(id)) return Optional.empty();
    return db.read(c -> tasks.get(c, id)).filter(t -> t.keyId().equals(key.id()));
  }

  /**
   * The task once it is completed or failed, or as it stands when {@code max} has passed; empty
   * if it vanished meanwhile. Wakes on every change, and reads again every few seconds regardless.
   */
  public Optional<TaskRow> awaitFinished(KeyRecord key, String id, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    try (TaskWatch.Watcher w = transitions.watch().watch(id)) {
      Optional<TaskRow> t = get(key, id);
      for (long left; t.isPresent() && !t.get().finished() && (left = deadline - System.nanoTime()) > 0; t = get(key, id)) {
        w.await(Math.min(Math.max(1, left / 1_000_000), RECHECK_MILLIS));
      }
      return t;
    }
  }

  /** Follows a task's changes; see {@link TaskWatch}. */
  public TaskWatch.Watcher watch(String id) {
    return transitions.watch().watch(id);
  }

  public Optional<TaskRow> cancel(KeyRecord key, String id) {
    if (!isUuid(id)) return Optional.empty();
    return transitions.cancel(key.id(), id);
  }

  /** Cancels the key's pending tasks created before a time (optionally of one model); returns their ids. */
  public List<String> cancelPendingBefore(KeyRecord key, long beforeMicros, String model) {
    List<String> done = new ArrayList<>();
    for (TaskRow t : db.read(c -> tasks.pendingBefore(c, key.id(), model, beforeMicros))) {
      try {
        transitions.cancel(key.id(), t.id()).ifPresent(r -> done.add(r.id()));
      } catch (ApiError startedMeanwhile) {
        // it finished between the listing and the cancel: nothing to do
      }
    }
    return done;
  }

  public Page history(KeyRecord key, TaskStore.HistoryFilter filter, int page, int pageSize) {
    return db.read(c -> new Page(tasks.history(c, key.id(), filter, pageSize, (page - 1) * pageSize),
        tasks.historyCount(c, key.id(), filter)));
  }

  /** {pending, processing} counts of the key's tasks. */
  public long[] activeCounts(KeyRecord key) {
    return db.read(c -> tasks.activeCounts(c, key.id()));
  }

  private static boolean isUuid(String s) {
    if (s == null || s.length() != 36) return false;
    for (int i = 0; i < 36; i++) {
      char ch = s.charAt(i);
      boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? ch == '-' : (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
      if (!ok) return false;
    }
    return true;
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
