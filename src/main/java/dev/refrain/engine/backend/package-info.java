/**
 * ACE-Step GPU servers (ACE-Step 1.5's API, acestep.cpp, another PiAPI server) behind one engine,
 * with slots, health probes, retries and failover.
 */
package dev.refrain.engine.backend;
