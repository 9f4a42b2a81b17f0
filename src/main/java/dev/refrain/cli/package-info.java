/**
 * Every {@code refrain} command, on picocli.
 */
package dev.refrain.cli;
