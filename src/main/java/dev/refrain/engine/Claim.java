package dev.refrain.engine;

import dev.refrain.core.TaskType;
import java.sql.Connection;
import java.util.Set;

/**
 * A task being claimed, as {@link Engine#acquire} sees it. An engine whose capacity the nodes of a
 * cluster share leases its place in {@code transaction}, the claim's own: the task and its place
 * on the engine are taken together, or neither is.
 *
 * @param exhausted names of shared capacity found full earlier in this claim (it takes several
 *     tasks), not asked for again until the next
 */
public record Claim(TaskType type, String taskId, Connection transaction, Set<String> exhausted) {}
