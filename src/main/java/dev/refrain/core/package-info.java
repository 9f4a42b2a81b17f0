/**
 * The shared vocabulary every layer speaks: task types and statuses, error codes, {@link
 * dev.refrain.core.ApiError}, the typed task input and its field descriptions, the JSON mapper.
 * Uses nothing else of Refrain.
 */
package dev.refrain.core;
