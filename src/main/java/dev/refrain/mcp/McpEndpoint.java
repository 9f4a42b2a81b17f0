package dev.refrain.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refrain.api.BodyLimit;
import dev.refrain.api.Envelope;
import dev.refrain.api.Forwarding;
import dev.refrain.auth.Authenticator;
import dev.refrain.auth.ShutdownGate;
import dev.refrain.core.ApiError;
import dev.refrain.core.Json;
import dev.refrain.metrics.RequestTimers;
import dev.refrain.store.KeyRecord;
import dev.refrain.task.TaskService;
import io.javalin.config.JavalinConfig;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * MCP over Streamable HTTP at `/mcp`: the SDK's servlet transport behind a gate that authenticates
 * every request with the API key, as `/api/` does (401 or 403 as JSON), and runs the tools in
 * process as that key. Sessions carry no identity: each request acts as its own key.
 */
public final class McpEndpoint {
  public static final String PATH = "/mcp";
  private static final String KEY = "refrain.mcp.key";
  private static final String BASE = "refrain.mcp.base";
  private static final String SESSION_HEADER = "mcp-session-id";

  private static final Logger log = LoggerFactory.getLogger(McpEndpoint.class);

  private final Authenticator auth;
  private final ShutdownGate gate;
  private final Forwarding forwarding;
  private final RequestTimers requestTimers;
  private final Cancellations cancellations = new Cancellations();
  private final AceStepTools tools;
  private final HttpServletStreamableServerTransportProvider transport;

  /** @param forwarding the base URL each request's task URLs go under, and its client address */
  public McpEndpoint(Authenticator auth, ShutdownGate gate, Forwarding forwarding, TaskService tasks,
      Consumer<String> cancelRunning, RequestTimers requestTimers) {
    this.auth = auth;
    this.gate = gate;
    this.forwarding = forwarding;
    this.requestTimers = requestTimers;
    this.tools = new AceStepTools(ex -> {
      KeyRecord key = (KeyRecord) ex.transportContext().get(KEY);
      String base = (String) ex.transportContext().get(BASE);
      return new AceStepTools.Caller(new LocalTaskApi(tasks, cancelRunning, key, base), scope(ex.sessionId(), key));
    }, cancellations);
    this.transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint(PATH)
        .contextExtractor(req -> McpTransportContext.create(Map.of(KEY, req.getAttribute(KEY), BASE, req.getAttribute(BASE))))
        .maxRequestSize(Integer.MAX_VALUE - 8) // BodyLimit is the limit; the SDK's own (16 MiB) would be a second one
        .build();
    tools.serve(McpServer.async(transport));
  }

  public void configure(JavalinConfig config) {
    config.jetty.modifyServletContextHandler(context -> {
      ServletHolder holder = new ServletHolder(new Gate());
      holder.setAsyncSupported(true); // the transport answers tool calls as server-sent events
      context.addServlet(holder, PATH);
    });
  }

  /** Whose calls a cancellation may reach: the same session, as the same key. */
  private static String scope(String sessionId, KeyRecord key) {
    return sessionId + "/" + key.id();
  }

  /** Authentication, the cancellation filter, then the SDK's transport. */
  private final class Gate extends HttpServlet {
    @Override
    public void init() throws ServletException {
      transport.init(getServletConfig());
    }

    /** Timed as the routes Javalin serves are; a stream's time is until it opens. */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
      long start = System.nanoTime();
      Forwarding.Caller caller = forwarding.of(req);
      req.setAttribute(BASE, caller.base());
      MDC.put(Forwarding.MDC_CLIENT, caller.client());
      try {
        serve(req, res);
      } finally {
        MDC.remove(Forwarding.MDC_CLIENT);
        requestTimers.record(req.getMethod(), PATH, res.getStatus(), System.nanoTime() - start);
      }
    }

    private void serve(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
      KeyRecord key;
      try {
        gate.refuseWhileStopping();
        key = auth.authenticate(req::getHeader);
      } catch (ApiError e) {
        if (e.retryAfterSeconds() > 0) res.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        reply(res, e.status(), e.getMessage());
        return;
      }
      req.setAttribute(KEY, key);
      res = new PlainErrors(res);
      if (!req.getMethod().equals("POST")) {
        transport.service((ServletRequest) req, res);
        // The SDK holds a listening stream's headers back until its first event; send them now so a
        // client that waits for the response before reading (most HTTP clients do) is not left hanging.
        if (req.isAsyncStarted() && !res.isCommitted()) res.flushBuffer();
        return;
      }
      byte[] body;
      try {
        body = body(req);
      } catch (IOException e) {
        BodyLimit.Refusal refusal = BodyLimit.refusal(e).orElseThrow(() -> e);
        log.debug("POST {}: {} {}", PATH, refusal.status(), refusal.message());
        reply(res, refusal.status(), refusal.message());
        return;
      }
      // What is no JSON-RPC message never reaches the SDK: it would log it at ERROR (the whole body, at
      // worst) and echo it back.
      JsonNode m = Json.parseOrNull(body);
      if (!isMessage(m)) {
        reply(res, 400, "request body must be a JSON-RPC message: an object with a method, or with an id and a result or error");
        return;
      }
      byte[] message = switch (cancellations.intercept(scope(req.getHeader(SESSION_HEADER), key), (ObjectNode) m)) {
        case DROP -> null;
        case AS_IS -> body;
        case CHANGED -> Json.bytes(m);
      };
      if (message == null) {
        res.setStatus(HttpServletResponse.SC_ACCEPTED);
        return;
      }
      transport.service((ServletRequest) new Replay(req, message), res);
    }

    /** The shape the SDK reads: a request or notification (a method name), or a response (an id, and a result or error). */
    private static boolean isMessage(JsonNode m) {
      return m != null && m.isObject() && (m.path("method").isTextual() || m.hasNonNull("id") && (m.has("result") || m.has("error")));
    }

    /**
     * The body, which {@link BodyLimit} has already bounded (a declared length over the limit never
     * gets here, a chunked body fails its read past it): with a declared length, read straight into
     * one array of that size.
     */
    private static byte[] body(HttpServletRequest req) throws IOException {
      long length = req.getContentLengthLong();
      if (length < 0 || length > Integer.MAX_VALUE - 8) return req.getInputStream().readAllBytes();
      byte[] body = new byte[(int) length];
      if (req.getInputStream().readNBytes(body, 0, body.length) < body.length) throw new EofException("request body ended early");
      return body;
    }

    @Override
    public void destroy() {
      transport.destroy();
      tools.close();
    }
  }

  private static void reply(HttpServletResponse res, int status, String message) throws IOException {
    res.setStatus(status);
    res.setContentType("application/json");
    res.getOutputStream().write(Json.bytes(Envelope.error(status, message)));
  }

  /**
   * The SDK writes some refusals (an unknown session, say) as its serialized exception, stack trace
   * and all; this answers every refusal as the envelope's error instead, keeping only the message.
   */
  private static final class PlainErrors extends HttpServletResponseWrapper {
    PlainErrors(HttpServletResponse res) {
      super(res);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      if (getStatus() < 400) return super.getWriter();
      return new PrintWriter(new StringWriter() {
        @Override
        public void flush() {
          StringBuffer written = getBuffer();
          if (written.isEmpty()) return;
          String message = messageOf(written.toString());
          written.setLength(0);
          try {
            reply((HttpServletResponse) getResponse(), getStatus(), message);
            flushBuffer();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
    }

    private String messageOf(String body) {
      try {
        JsonNode error = Json.MAPPER.readTree(body);
        String message = error.path("jsonRpcError").path("message").asText(error.path("message").asText(""));
        if (!message.isBlank()) return message;
      } catch (IOException notJson) {
        // fall through to the status's reason
      }
      return HttpStatus.getMessage(getStatus());
    }
  }

  /** The request with its body, already read, to be read again. */
  private static final class Replay extends HttpServletRequestWrapper {
    private final byte[] body;

    Replay(HttpServletRequest req, byte[] body) {
      super(req);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already read");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public String getCharacterEncoding() {
      return "UTF-8";
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
