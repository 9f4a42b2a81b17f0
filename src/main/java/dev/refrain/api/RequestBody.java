package dev.refrain.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.jetty.io.EofException;

/**
 * A request's body as bytes, read once per request. With a Content-Length (already bounded by
 * {@link BodyLimit}) it is read straight into one array of that length: Javalin's
 * {@code bodyAsBytes} copies every body through an 8 KiB buffer into a growing stream, which was
 * a third of the server's allocation under a load of creates. A body of unknown length (chunked)
 * still goes through Javalin, whose cap counts it as it comes.
 */
final class RequestBody {
  private static final String ATTRIBUTE = RequestBody.class.getName();

  private RequestBody() {}

  static byte[] bytes(Context ctx) {
    byte[] body = ctx.attribute(ATTRIBUTE);
    if (body != null) return body;
    long length = ctx.req().getContentLengthLong();
    if (length < 0 || length > Integer.MAX_VALUE) {
      body = ctx.bodyAsBytes();
    } else {
      body = new byte[(int) length];
      try {
        var in = ctx.req().getInputStream();
        int read = in.readNBytes(body, 0, body.length);
        // Jetty fails a body cut short (EofException, answered 400); an end before the length is the same fault.
        if (read < body.length) throw new EofException("early EOF");
        // Read on to the end of the body, as Javalin does: on HTTP/2 the end of a stream may come in a
        // frame of its own, and a request whose content was not read to its end has its stream reset.
        in.read();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    ctx.attribute(ATTRIBUTE, body);
    return body;
  }
}
