/**
 * Micrometer with Prometheus: request timers, task gauges and the {@code /metrics} endpoint.
 */
package dev.refrain.metrics;
