package dev.refrain.store;

import dev.refrain.core.TaskStatus;

/**
 * A task as stored. JSON columns hold the wire shapes; times are microseconds (0 when unset).
 *
 * @param baseUrl the public base URL as the creating request saw it (behind a proxy, the proxy's);
 *     null for tasks stored before it was kept
 */
public record TaskRow(
    String id,
    String keyId,
    String model,
    String taskType,
    String status,
    String engine,
    String inputJson,
    String configJson,
    String webhookEndpoint,
    String webhookSecret,
    String outputJson,
    int errorCode,
    String errorMessage,
    String errorRaw,
    String logsJson,
    double progress,
    String stage,
    long seed,
    long createdAt,
    long startedAt,
    long endedAt,
    long frozen,
    long consumed,
    String idempotencyKey,
    String requestHash,
    int attempts,
    String leaseOwner,
    long leaseUntil,
    int version,
    String baseUrl) {

  public boolean finished() {
    return status.equals(TaskStatus.COMPLETED) || status.equals(TaskStatus.FAILED);
  }
}
