/**
 * The one typed configuration, read from environment variables and an optional file.
 */
package dev.refrain.config;
