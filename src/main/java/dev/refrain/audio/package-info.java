/**
 * Audio in and out: decoding (in child JVMs), resampling, analysis and encoding to mp3, wav and
 * flac.
 */
package dev.refrain.audio;
