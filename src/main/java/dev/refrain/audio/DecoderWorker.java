package dev.refrain.audio;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The child process behind {@link DecoderPool}: reads decode requests on stdin, answers on stdout,
 * one at a time, until stdin closes. Native FFmpeg runs only here, so a crash costs this process.
 *
 * <p>Request: {@code int maxSeconds, long maxBytes, int length, byte[length]}. Answer: {@code 0},
 * then {@code int rate, int channels, int frames} and each channel's floats; or {@code 1} and a
 * UTF message saying why the input was refused.
 */
public final class DecoderWorker {
  static final byte CLIP = 0;
  static final byte REFUSED = 1;

  private DecoderWorker() {}

  public static void main(String[] args) throws IOException {
    var out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    // Whatever a library prints must not land in the answers.
    System.setOut(System.err);
    var in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
    while (true) {
      int maxSeconds;
      try {
        maxSeconds = in.readInt();
      } catch (EOFException e) {
        return; // the server closed the pool
      }
      long maxBytes = in.readLong();
      byte[] data = new byte[in.readInt()];
      in.readFully(data);
      AudioClip clip;
      try {
        clip = AudioDecoder.decode(data, maxSeconds, maxBytes);
      } catch (AudioException | RuntimeException e) {
        out.writeByte(REFUSED);
        out.writeUTF(e instanceof AudioException ? e.getMessage() : "the audio could not be decoded");
        out.flush();
        continue;
      }
      data = null; // let the heap have it back while the answer is written
      write(clip, out);
      out.flush();
    }
  }

  private static void write(AudioClip clip, DataOutputStream out) throws IOException {
    out.writeByte(CLIP);
    out.writeInt(clip.sampleRate());
    out.writeInt(clip.channelCount());
    out.writeInt(clip.frames());
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    for (float[] channel : clip.channels()) {
      for (int at = 0; at < channel.length; ) {
        int n = Math.min(chunk.capacity() / 4, channel.length - at);
        chunk.clear();
        chunk.asFloatBuffer().put(channel, at, n);
        out.write(chunk.array(), 0, n * 4);
        at += n;
      }
    }
  }
}
