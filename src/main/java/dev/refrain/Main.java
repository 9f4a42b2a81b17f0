package dev.refrain;

import dev.refrain.audio.DecoderPool;
import dev.refrain.auth.ApiKeys;
import dev.refrain.cli.TaskCommand;
import dev.refrain.config.Config;
import dev.refrain.core.Signal;
import dev.refrain.engine.backend.BackendPool;
import dev.refrain.mcp.McpStdio;
import dev.refrain.store.Database;
import dev.refrain.store.KeyRecord;
import dev.refrain.store.StoreCopy;
import dev.refrain.store.StoreException;
import dev.refrain.task.TaskService;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/** The command line: `serve`, `keys`, `backends check`, `migrate-store`, `task` and `mcp`. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String cmd = args.length == 0 ? "help" : args[0];
    try {
      switch (cmd) {
        case "serve" -> serve();
        case "keys" -> keys(Arrays.copyOfRange(args, 1, args.length));
        case "backends" -> backends(Arrays.copyOfRange(args, 1, args.length));
        case "migrate-store" -> migrateStore(Arrays.copyOfRange(args, 1, args.length));
        case "task" -> System.exit(TaskCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        case "mcp" -> {
          McpStdio.run(System.getenv());
          System.exit(0);
        }
        default -> {
          System.out.println("usage: refrain serve | refrain keys create|list|disable|enable ... | refrain backends check"
              + " | refrain migrate-store --from <sqlite path> --to <postgresql url>"
              + " | refrain task create|get|wait|cancel|list|download ... (refrain task --help) | refrain mcp");
          if (!cmd.equals("help")) System.exit(2);
        }
      }
    } catch (Config.ConfigException | UsageException e) {
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

  private static void serve() throws Exception {
    Config config = Config.load();
    Server server = Server.start(config);
    // A supervisor's stop (SIGTERM) is the normal way to end a server: exit 0 once closed, not the JVM's 143.
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> System.exit(0));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "shutdown"));
    if (config.printFirstKey() && server.keys().isEmpty()) {
      ApiKeys.Issued k = firstKey(server);
      // Printed once, to the console only (never to the log): it is not stored anywhere in clear.
      System.out.println();
      System.out.println("  Your first API key (shown once; keep it safe):");
      System.out.println();
      System.out.println("    " + k.secret());
      System.out.println();
      System.out.println("  Try it:  curl -H 'x-api-key: " + k.secret() + "' " + server.baseUrl() + "/account/info");
      System.out.println();
    }
    System.out.println("Refrain is serving on " + server.baseUrl() + " (Ctrl-C stops it)");
    stopped.await();
  }

  private static ApiKeys.Issued firstKey(Server server) {
    try {
      return server.keys().create("default", null, null, true);
    } catch (RuntimeException e) {
      server.close();
      throw new StartException("cannot create the first API key: " + StartException.reason(e), e);
    }
  }

  private static void keys(String[] args) {
    if (args.length == 0) throw new UsageException("usage: refrain keys create --name N [--credits USD] [--max-concurrent K] [--admin] | list | disable KEY | enable KEY");
    Config config = Config.load();
    try (Database db = Database.open(config.databaseUrl())) {
      ApiKeys keys = new ApiKeys(db);
      switch (args[0]) {
        case "create" -> {
          Flags f = new Flags(Arrays.copyOfRange(args, 1, args.length));
          String name = f.required("--name");
          String creditsArg = f.optional("--credits");
          String concurrentArg = f.optional("--max-concurrent");
          Long credits = creditsArg == null ? null : usdToUnits(creditsArg);
          Integer mc = concurrentArg == null ? null : positiveInt("--max-concurrent", concurrentArg);
          boolean admin = f.flag("--admin");
          f.done();
          ApiKeys.Issued k = keys.create(name, credits, mc, admin);
          System.out.println("created key " + k.record().id() + " (" + name + ", "
              + (credits == null ? "unlimited" : "$" + TaskService.usd(credits)) + ")");
          System.out.println(k.secret());
        }
        case "list" -> {
          System.out.printf("%-36s  %-20s  %-10s  %-8s  %-16s  %s%n", "ID", "NAME", "PREFIX", "STATE", "BALANCE (USD)", "MAX CONCURRENT");
          for (KeyRecord k : keys.list()) {
            System.out.printf("%-36s  %-20s  %-10s  %-8s  %-16s  %s%n", k.id(), k.name(), k.prefix(),
                k.disabled() ? "disabled" : "enabled", k.unlimited() ? "unlimited" : TaskService.usd(k.balance()),
                k.maxConcurrent() == null ? "default (" + config.defaultMaxConcurrent() + ")" : k.maxConcurrent());
          }
        }
        case "disable", "enable" -> {
          if (args.length != 2) throw new UsageException("usage: refrain keys " + args[0] + " <key id or name>");
          KeyRecord k = keys.find(args[1]).orElseThrow(() -> new UsageException("no key with id or name '" + args[1] + "'"));
          keys.setDisabled(k.id(), args[0].equals("disable"));
          System.out.println(args[0] + "d key " + k.id() + " (" + k.name() + ")");
        }
        default -> throw new UsageException("unknown keys command '" + args[0] + "': use create, list, disable or enable");
      }
    }
  }

  private static void backends(String[] args) {
    if (args.length != 1 || !args[0].equals("check")) throw new UsageException("usage: refrain backends check");
    Config config = Config.load();
    if (config.backends().isEmpty()) {
      System.out.println("no backends configured: every task type is served by the " + config.engine() + " engine");
      System.out.println("(configure one with REFRAIN_BACKEND_<NAME>_KIND and REFRAIN_BACKEND_<NAME>_URL; see the README)");
      return;
    }
    try (DecoderPool decoders = new DecoderPool(new DecoderPool.Settings(1, config.decoderMemoryBytes(), config.decodeTimeout()));
        BackendPool pool = new BackendPool(config.backends(), decoders, new BackendPool.Settings(config.backendAttempts(),
        config.backendHealthInterval(), config.backendPollInterval(), config.maxDurationSeconds()),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) { // a check has no one to report meters to
      for (String line : pool.check()) System.out.println(line);
    }
  }

  /**
   * Moves a single-node installation to PostgreSQL: every key, task, ledger row, webhook delivery
   * and upload, into an empty database (its schema made by the usual migrations). Stop the server
   * first; files stay where they are, or copy them to the new storage yourself.
   */
  private static void migrateStore(String[] args) {
    Flags f = new Flags(args);
    String from = f.required("--from");
    String to = f.required("--to");
    f.done();
    String source = from.startsWith("sqlite:") ? from : "sqlite:" + from;
    if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(source.substring("sqlite:".length())))) {
      throw new UsageException("--from: no SQLite database at " + source.substring("sqlite:".length()));
    }
    if (!to.startsWith("postgresql://") && !to.startsWith("postgres://") && !to.startsWith("jdbc:postgresql:")) {
      throw new UsageException("--to must be a postgresql:// URL");
    }
    try (Database in = Database.open(source); Database out = Database.open(to)) {
      var copied = StoreCopy.copy(in, out);
      copied.forEach((table, rows) -> System.out.printf("%-20s %d rows%n", table, rows));
      System.out.println("migrated; row counts and every key's ledger checked. Point REFRAIN_DATABASE_URL at " + to);
    } catch (StoreException e) {
      System.err.println("refrain: migrate-store failed, nothing was written: " + e.getMessage());
      System.exit(1);
    }
  }

  static long usdToUnits(String usd) {
    try {
      BigDecimal v = new BigDecimal(usd.trim());
      if (v.signum() < 0) throw new UsageException("--credits must not be negative");
      return v.movePointRight(7).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UsageException("--credits must be an amount in USD with at most 7 decimals, e.g. 10 or 2.50");
    }
  }

  private static int positiveInt(String flag, String v) {
    try {
      int i = Integer.parseInt(v);
      if (i < 1) throw new NumberFormatException();
      return i;
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " must be a whole number of 1 or more");
    }
  }

  /** A command line mistake: printed without a stack trace. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  private static final class Flags {
    private final List<String> args;

    Flags(String[] args) {
      this.args = new ArrayList<>(List.of(args));
    }

    String optional(String name) {
      int i = args.indexOf(name);
      if (i < 0) return null;
      if (i + 1 >= args.size()) throw new UsageException(name + " needs a value");
      String v = args.get(i + 1);
      args.remove(i + 1);
      args.remove(i);
      return v;
    }

    String required(String name) {
      String v = optional(name);
      if (v == null || v.isBlank()) throw new UsageException(name + " is required");
      return v;
    }

    boolean flag(String name) {
      return args.remove(name);
    }

    void done() {
      if (!args.isEmpty()) throw new UsageException("unexpected arguments: " + String.join(" ", args));
    }
  }
}
