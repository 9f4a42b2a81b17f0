/**
 * Webhook events, their signatures, and their delivery with retries.
 */
package dev.refrain.webhook;
