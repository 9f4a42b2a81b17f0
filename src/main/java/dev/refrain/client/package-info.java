/**
 * A client of the task API over HTTP, and a waiter that follows a task to its end.
 */
package dev.refrain.client;
