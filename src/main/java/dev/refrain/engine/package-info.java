/**
 * What renders a task: the engine interface, its job, output and capacity slots.
 */
package dev.refrain.engine;
