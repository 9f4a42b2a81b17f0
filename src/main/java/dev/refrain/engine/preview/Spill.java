package dev.refrain.engine.preview;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stereo float frames parked in a scratch file: the mix is rendered once, measured, then read back
 * through the master bus, so a song of any length never sits in the heap. Deleted on close.
 */
final class Spill implements AutoCloseable {
  private static final int BYTES_PER_FRAME = 8;

  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer buffer;
  private final FloatBuffer floats;
  private long frames;

  /** A new empty spill in {@code dir}; blocks written and read are at most {@code maxBlock} frames. */
  Spill(Path dir, int maxBlock) throws IOException {
    Files.createDirectories(dir);
    file = Files.createTempFile(dir, "preview-", ".f32");
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
    buffer = ByteBuffer.allocateDirect(maxBlock * BYTES_PER_FRAME).order(ByteOrder.nativeOrder());
    floats = buffer.asFloatBuffer();
  }

  long frames() {
    return frames;
  }

  /** Appends {@code count} frames of left and right from {@code offset}. */
  void append(float[] left, float[] right, int offset, int count) {
    floats.clear();
    for (int i = offset; i < offset + count; i++) floats.put(left[i]).put(right[i]);
    buffer.clear().limit(count * BYTES_PER_FRAME);
    try {
      while (buffer.hasRemaining()) channel.write(buffer, frames * BYTES_PER_FRAME + buffer.position());
    } catch (IOException e) {
      throw new UncheckedIOException("writing the render's scratch file failed", e);
    }
    frames += count;
  }

  /** Reads {@code count} frames starting at frame {@code at} into left and right from {@code offset}. */
  void read(long at, float[] left, float[] right, int offset, int count) {
    if (at + count > frames) throw new IllegalArgumentException("read past the end of the spill");
    buffer.clear().limit(count * BYTES_PER_FRAME);
    try {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, at * BYTES_PER_FRAME + buffer.position()) < 0) throw new IOException("scratch file truncated");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the render's scratch file failed", e);
    }
    floats.clear();
    for (int i = offset; i < offset + count; i++) {
      left[i] = floats.get();
      right[i] = floats.get();
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
