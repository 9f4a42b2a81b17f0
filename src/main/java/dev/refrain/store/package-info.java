/**
 * The database, SQLite or PostgreSQL: tasks, keys, the ledger, webhook events and uploads, with
 * the schemas and the wake-ups between nodes. (Files live in {@code storage}.)
 */
package dev.refrain.store;
