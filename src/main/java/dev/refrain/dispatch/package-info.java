/**
 * Claiming queued tasks for engines with free slots, leases and heartbeats, and running each to
 * its end.
 */
package dev.refrain.dispatch;
