/**
 * Getting the audio a task works on: guarded fetches of client URLs, and this server's own files
 * from storage.
 */
package dev.refrain.fetch;
