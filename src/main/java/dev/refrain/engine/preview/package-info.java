/**
 * The built-in CPU engine, {@code preview}: music composed and synthesised in process, with no
 * neural model, so every task type gets real, playable audio without a GPU.
 */
package dev.refrain.engine.preview;
