package dev.refrain.api;

import dev.refrain.core.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before any route runs (malformed requests, oversized headers),
 * still wear the JSON envelope: clients fail hard on HTML error pages.
 */
public final class JsonErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() <= 0 ? 500 : response.getStatus();
    if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
      // A request line naming an HTTP version no server speaks is the client's error: a 5xx would count as ours.
      status = HttpStatus.BAD_REQUEST_400;
      response.setStatus(status);
    }
    Object reason = request.getAttribute(ERROR_MESSAGE);
    // A 503 says why (ours, e.g. BodyLimit.BUSY); other 5xx reasons may be internals.
    boolean hidden = status >= 500 && (status != 503 || reason == null);
    String message = hidden ? "internal server error" : reason == null ? "bad request" : reason.toString();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(Json.bytes(Envelope.error(status, message))), callback);
    return true;
  }
}
