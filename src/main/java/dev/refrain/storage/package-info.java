/**
 * Files: outputs and uploads on local disk or S3-compatible storage, their public links, and the
 * guard on free disk space. (Rows live in {@code store}.)
 */
package dev.refrain.storage;
