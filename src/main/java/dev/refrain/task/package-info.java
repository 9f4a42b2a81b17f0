/**
 * A task's lifecycle: request validation, create, read, cancel, the transitions of its status
 * (with ledger and webhook in the same transaction), and its wire view.
 */
package dev.refrain.task;
