package dev.refrain;

import dev.refrain.auth.ApiKeys;
import dev.refrain.cli.RefrainCommand;
import dev.refrain.config.Config;
import dev.refrain.tls.LocalCa;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The entry point: the command line is {@link RefrainCommand}'s; serving, and how a failure is
 * reported, stay here beside the Server.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    try {
      // `refrain serve` alone starts the server without building the command line: picocli's model
      // of every command costs a cold JVM a quarter of a second (bench/start), and a server starts far
      // more often than anyone reads its help. `serve --help` and every other command go through it.
      boolean plainServe = args.length == 1 && args[0].equals("serve");
      // Exits whatever threads remain (the MCP SDK's among them): the status is the command's.
      System.exit(plainServe ? serve() : RefrainCommand.run(Main::serve, args));
    } catch (Config.ConfigException e) {
      System.err.println("refrain: " + e.getMessage());
      System.exit(2);
    } catch (StartException e) {
      fail("cannot start: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      fail(StartException.reason(e), e);
    }
  }

  /**
   * One line for the operator, the cause at debug, and a non-zero exit at once: a process that failed
   * to start must not linger (a supervisor would never see the failure).
   */
  private static void fail(String line, Throwable cause) {
    System.err.println("refrain: " + line);
    LoggerFactory.getLogger(Main.class).debug("the cause", cause);
    System.exit(1);
  }

  /** Serves until stopped; the exit status. */
  private static int serve() throws Exception {
    Config config = Config.load();
    Server server = Server.start(config);
    // A supervisor's stop (SIGTERM) is the normal way to end a server: exit 0 once closed, not the JVM's 143.
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> System.exit(0));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "shutdown"));
    // With the local CA, every curl shown must name it: no client trusts it yet.
    Optional<LocalCa> ca = server.localCa();
    String curl = ca.map(c -> "curl --cacert " + c.caCertificate() + " ").orElse("curl ");
    if (config.printFirstKey() && server.keys().isEmpty()) {
      ApiKeys.Issued k = firstKey(server);
      // Printed once, to the console only (never to the log): it is not stored anywhere in clear.
      System.out.println();
      System.out.println("  Your first API key (shown once; keep it safe):");
      System.out.println();
      System.out.println("    " + k.secret());
      System.out.println();
      System.out.println("  Try it:  " + curl + "-H 'x-api-key: " + k.secret() + "' " + server.baseUrl() + "/account/info");
      System.out.println();
    }
    ca.ifPresent(c -> {
      LocalCa.trustInstructions(c.caCertificate(), server.baseUrl()).forEach(System.out::println);
      System.out.println();
    });
    System.out.println("Refrain is serving on " + server.baseUrl() + " (Ctrl-C stops it)");
    System.out.println("  Clients use the base URL " + server.baseUrl() + (server.baseUrl().startsWith("https:") ? ""
        : "; for clients that take only https audio URLs (PiAPI's own, most SDKs), start with REFRAIN_TLS_LOCAL=true"));
    if (server.httpPort() != 0) {
      System.out.println("  plain HTTP too, on port " + server.httpPort() + " (for health checks: http://localhost:" + server.httpPort() + "/healthz)");
    }
    stopped.await();
    return 0;
  }

  private static ApiKeys.Issued firstKey(Server server) {
    try {
      return server.keys().create("default", null, null, true);
    } catch (RuntimeException e) {
      server.close();
      throw new StartException("cannot create the first API key: " + StartException.reason(e), e);
    }
  }
}
