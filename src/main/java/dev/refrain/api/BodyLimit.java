package dev.refrain.api;

import dev.refrain.core.Json;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * REFRAIN_MAX_BODY_BYTES and REFRAIN_MAX_BODY_BYTES_IN_FLIGHT, for every route (Javalin's and the
 * MCP servlet's) before any of them reads a byte. A Content-Length above it is answered 413 from the
 * header alone, and the connection closes after the answer. A body without one (chunked) fails its
 * read once it passes the limit, so no request holds more than the limit in memory.
 *
 * <p>A refused body is still read, and thrown away, for a while after the answer: a client that sends
 * its whole body before it reads (most libraries, without {@code Expect: 100-continue}) would
 * otherwise find the connection reset under it and never see the 413 or the 503.
 */
public final class BodyLimit extends Handler.Wrapper {
  /** The answer to a body that stopped coming for REFRAIN_IDLE_TIMEOUT. */
  public static final String TIMED_OUT = "request body timed out: it stopped coming before it was complete";

  /** The answer while other requests' bodies fill the budget. */
  public static final String BUSY = "the server is busy reading other large requests; retry shortly";

  /** How long, and how many bytes, a refused body is read for before the connection is closed anyway. */
  private static final long DRAIN_NANOS = 10_000_000_000L;
  private static final long DRAIN_BYTES = 1L << 30;

  private final long max;
  private final long budget;
  private final AtomicLong inFlight = new AtomicLong();
  private final String tooLarge;

  /**
   * @param max the largest body of one request
   * @param budget the most body bytes all requests together may hold while they are handled (at least {@code max})
   */
  public BodyLimit(long max, long budget) {
    this.max = max;
    this.budget = budget;
    this.tooLarge = "request body is too large (at most " + max + " bytes)";
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long length = request.getLength();
    if (length > max) {
      refuse(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge);
      return true;
    }
    // Each body is held in memory while its request is handled: together they stay within the budget,
    // counted at their declared length, or at the limit when it is unknown (chunked). A request with
    // neither header has no body (HTTP/1.1), and takes nothing: an event stream or a long poll holds
    // its request for minutes.
    boolean chunked = length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    long share = chunked ? max : Math.max(0, length);
    if (share > 0 && !reserve(share)) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
      refuse(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, BUSY);
      return true;
    }
    Callback done = share == 0 ? callback : Callback.from(callback, () -> inFlight.addAndGet(-share));
    try {
      if (super.handle(chunked ? new Counted(request) : request, response, done)) return true;
    } catch (Throwable t) {
      if (share > 0) inFlight.addAndGet(-share);
      throw t;
    }
    if (share > 0) inFlight.addAndGet(-share);
    return false;
  }

  /**
   * Answers the refusal in the JSON envelope, then drains the body. The answer is written whole but
   * not as the last write, which would end the connection at once; the request completes, and the
   * connection closes, after the drain.
   */
  private static void refuse(Request request, Response response, Callback callback, int status, String message) {
    byte[] body = Json.bytes(Envelope.error(status, message));
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    // The body stays unread, so the connection ends with this answer: say so, or a client would reuse it.
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    long until = System.nanoTime() + DRAIN_NANOS;
    response.write(false, ByteBuffer.wrap(body), Callback.from(() -> drain(request, DRAIN_BYTES, until, callback), callback::failed));
  }

  /**
   * Reads and drops what has arrived; asks to be called again for more. Done at the body's end, at a
   * failure (the idle timeout ends a client that stopped sending), or past either bound, when the
   * connection closes with what is left unread.
   */
  private static void drain(Request request, long left, long until, Callback callback) {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        long rest = left;
        request.demand(() -> drain(request, rest, until, callback));
        return;
      }
      boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
      left -= chunk.remaining();
      chunk.release();
      if (end || left <= 0 || System.nanoTime() - until > 0) {
        callback.succeeded();
        return;
      }
    }
  }

  private boolean reserve(long bytes) {
    while (true) {
      long now = inFlight.get();
      if (now + bytes > budget) return false;
      if (inFlight.compareAndSet(now, now + bytes)) return true;
    }
  }

  /** Why a request's body could not be read, as its answer. */
  public record Refusal(int status, String message) {}

  /**
   * The answer for {@code failure} when it is the request's body that could not be read: 413 past the
   * limit, 408 when it stopped coming, 400 when it was malformed or ended early (a client that went
   * away, which hears nothing). Empty for any other failure, which is the server's own.
   */
  public static Optional<Refusal> refusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) return Optional.of(new Refusal(HttpStatus.REQUEST_TIMEOUT_408, TIMED_OUT));
      if (t instanceof HttpException h && h.getCode() == HttpStatus.PAYLOAD_TOO_LARGE_413) return Optional.of(new Refusal(413, h.getReason()));
      if (t instanceof HttpException h && HttpStatus.isClientError(h.getCode())) {
        return Optional.of(new Refusal(400, "request body could not be read: " + h.getReason()));
      }
      if (t instanceof EofException) return Optional.of(new Refusal(400, "request body could not be read: the client closed the connection"));
    }
    return Optional.empty();
  }

  /** A body of unknown length, counted as it is read: one byte past the limit, reading fails with a 413. */
  private final class Counted extends Request.Wrapper {
    private long read;
    private Content.Chunk refused;

    Counted(Request request) {
      super(request);
    }

    @Override
    public Content.Chunk read() {
      if (refused != null) return refused;
      Content.Chunk chunk = super.read();
      if (chunk == null || Content.Chunk.isFailure(chunk) || (read += chunk.remaining()) <= max) return chunk;
      chunk.release();
      refused = Content.Chunk.from(new BadMessageException(HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge));
      return refused;
    }
  }
}
