/**
 * API keys, hashed at rest; the authentication of requests; the gate that refuses them while the
 * server stops.
 */
package dev.refrain.auth;
