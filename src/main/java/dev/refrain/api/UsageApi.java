package dev.refrain.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.auth.Authenticator;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import dev.refrain.store.Clock;
import dev.refrain.store.Database;
import dev.refrain.store.KeyRecord;
import dev.refrain.store.KeyStore;
import dev.refrain.store.UsageStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.Map;

/**
 * {@code GET /account/usage?days=30}, beyond PiAPI: the caller's usage per UTC day, oldest first,
 * every day of the window present. Each point has the units charged, the tasks created and the
 * balance at the day's end (null for an unlimited key), so a client can chart balance and usage
 * over time.
 */
public final class UsageApi {
  static final int DEFAULT_DAYS = 30;
  static final int MAX_DAYS = 366;

  private final Database db;
  private final KeyStore keys = new KeyStore();
  private final UsageStore usage = new UsageStore();

  public UsageApi(Database db) {
    this.db = db;
  }

  public void configure(JavalinConfig config) {
    config.routes.get("/account/usage", this::usage);
  }

  private void usage(Context ctx) {
    int days = days(ctx.queryParam("days"));
    String keyId = Authenticator.key(ctx).id();
    long today = Math.floorDiv(Clock.nowMicros(), UsageStore.DAY_MICROS);
    long first = today - days + 1;
    record Read(KeyRecord key, Map<Long, UsageStore.Day> days) {}
    Read read = db.read(c -> new Read(keys.byId(c, keyId).orElseThrow(), usage.since(c, keyId, first)));
    boolean unlimited = read.key().unlimited();

    // The balance at each day's end: today's is the current one; each earlier day's is the next
    // day's less that day's net change.
    long[] balances = new long[days];
    long balance = read.key().balance();
    for (int i = days - 1; i >= 0; i--) {
      balances[i] = balance;
      UsageStore.Day d = read.days().get(first + i);
      if (d != null) balance -= d.balanceChange();
    }

    ObjectNode data = Json.object();
    data.put("days", days);
    if (unlimited) data.putNull("balance");
    else data.put("balance", read.key().balance());
    ArrayNode points = data.putArray("points");
    for (int i = 0; i < days; i++) {
      UsageStore.Day d = read.days().getOrDefault(first + i, new UsageStore.Day(0, 0, 0));
      ObjectNode p = points.addObject();
      p.put("date", LocalDate.ofEpochDay(first + i).toString());
      p.put("consumed", d.charged());
      p.put("tasks", d.tasks());
      if (unlimited) p.putNull("balance");
      else p.put("balance", balances[i]);
    }
    Envelope.send(ctx, 200, Envelope.ok(data));
  }

  private static int days(String v) {
    if (v == null || v.isBlank()) return DEFAULT_DAYS;
    try {
      int d = Integer.parseInt(v.trim());
      if (d >= 1 && d <= MAX_DAYS) return d;
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ApiError.badRequest("days must be a whole number from 1 to " + MAX_DAYS);
  }
}
