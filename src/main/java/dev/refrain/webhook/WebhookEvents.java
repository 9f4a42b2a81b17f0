package dev.refrain.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.core.Json;
import dev.refrain.store.Clock;
import dev.refrain.store.TaskRow;
import dev.refrain.store.WebhookStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Records a webhook event for a task's status change, inside the transaction that makes the
 * change, so an event is never lost and never sent for a change that rolled back.
 */
public final class WebhookEvents {
  private final WebhookStore store = new WebhookStore();

  /** Enqueues the event for the row as it now is, {@code task} being its wire form; false when the task has no webhook. */
  public boolean enqueue(Connection c, TaskRow row, ObjectNode task) throws SQLException {
    if (row.webhookEndpoint() == null) return false;
    long now = Clock.nowMicros();
    ObjectNode payload = Json.object();
    payload.put("timestamp", now / 1_000_000);
    payload.set("data", task);
    store.insert(c, new WebhookStore.Delivery("msg_" + UUID.randomUUID().toString().replace("-", ""), row.id(),
        row.webhookEndpoint(), row.webhookSecret(), row.status(), Json.write(payload), "pending", 0, now, null, null, now, 0));
    return true;
  }
}
