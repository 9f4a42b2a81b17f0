package dev.refrain.mcp;

import dev.refrain.client.TaskClient;
import dev.refrain.config.Config;
import dev.refrain.tls.LocalTrust;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * `refrain mcp`: an MCP server on stdin and stdout whose tools call a Refrain server over HTTP, as
 * PiAPI's own MCP server calls api.piapi.ai (so it works against PiAPI too). The server is
 * `REFRAIN_URL` (default this machine's, on `REFRAIN_PORT`, https when its TLS settings say so),
 * the key `REFRAIN_API_KEY` or `PIAPI_API_KEY`. The data dir's local CA, when there is one, is
 * trusted as well as the JDK's authorities. Only protocol goes to stdout; logs and anything else
 * printed go to stderr.
 */
public final class McpStdio {
  /** Everything on stdio is one client's: one scope for its cancellations. */
  private static final String SCOPE = "stdio";

  private McpStdio() {}

  /** Serves until stdin ends. */
  public static void run(Map<String, String> env) throws InterruptedException {
    PrintStream protocol = System.out;
    System.setOut(System.err); // a stray print would corrupt the protocol
    String key = firstSet(env, "REFRAIN_API_KEY", "PIAPI_API_KEY");
    if (key == null) {
      throw new Config.ConfigException("refrain mcp needs an API key: set REFRAIN_API_KEY (or PIAPI_API_KEY)");
    }
    Config config = Config.load(env);
    String url = firstSet(env, "REFRAIN_URL");
    if (url == null) url = config.localUrl();
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new Config.ConfigException("REFRAIN_URL must be an http(s) URL (got '" + url + "')");
    }
    TaskClient client = new TaskClient(url, key, null);
    TaskApi api = new HttpTaskApi(LocalTrust.forDataDir(config.dataDir()).map(client::withTrust).orElse(client));
    Cancellations cancellations = new Cancellations();
    CountDownLatch ended = new CountDownLatch(1);
    InputStream in = new Lines(System.in, line -> cancellations.intercept(SCOPE, line), ended::countDown);
    try (AceStepTools tools = new AceStepTools(ex -> new AceStepTools.Caller(api, SCOPE), cancellations)) {
      McpAsyncServer server = tools.serve(McpServer.async(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in, protocol)));
      ended.await();
      server.closeGracefully().block(Duration.ofSeconds(5));
    }
  }

  private static String firstSet(Map<String, String> env, String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) return v.trim();
    }
    return null;
  }

  /** stdin as the transport reads it: line by line, each through a filter that may drop it (blank ones are); its end is told. */
  private static final class Lines extends InputStream {
    private final BufferedReader in;
    private final UnaryOperator<String> filter;
    private final Runnable onEnd;
    private byte[] line = new byte[0];
    private int pos;

    Lines(InputStream in, UnaryOperator<String> filter, Runnable onEnd) {
      this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      this.filter = filter;
      this.onEnd = onEnd;
    }

    @Override
    public int read() throws IOException {
      return fill() ? line[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      if (!fill()) return -1;
      int n = Math.min(len, line.length - pos);
      System.arraycopy(line, pos, b, off, n);
      pos += n;
      return n;
    }

    private boolean fill() throws IOException {
      while (pos >= line.length) {
        String next = in.readLine();
        if (next == null) {
          onEnd.run();
          return false;
        }
        String kept = next.isBlank() ? null : filter.apply(next); // a blank line would end the SDK's reader
        if (kept != null) {
          line = (kept + "\n").getBytes(StandardCharsets.UTF_8);
          pos = 0;
        }
      }
      return true;
    }
  }
}
