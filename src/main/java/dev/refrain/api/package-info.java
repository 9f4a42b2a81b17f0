/**
 * The HTTP API: routes, the {@code {code, data, message}} envelope, body limits, uploads, file
 * serving and event streams.
 */
package dev.refrain.api;
