package dev.refrain.cli;

import dev.refrain.auth.ApiKeys;
import dev.refrain.billing.Money;
import dev.refrain.config.Config;
import dev.refrain.store.Database;
import dev.refrain.store.KeyRecord;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** `refrain keys ...`: API keys, straight in the store, so the server need not run. */
@Command(name = "keys", subcommands = {KeysCommand.Create.class, KeysCommand.List.class, KeysCommand.Disable.class, KeysCommand.Enable.class},
    description = "Create, list, disable and enable API keys (in the store itself: the server need not run).")
final class KeysCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
  boolean help;

  @Override
  public Integer call() {
    throw CliError.usage("usage: refrain keys create --name N [--credits USD] [--max-concurrent K] [--admin] | list | disable KEY | enable KEY");
  }

  // Values are checked here rather than typed, so a mistake reads as the flag and what it takes.
  @Command(name = "create", description = "Create a key and print its secret, once: only its hash is stored.")
  static final class Create extends KeysSubcommand {
    @Option(names = "--name", paramLabel = "N", description = "a name to find it by (required)")
    String name;

    @Option(names = "--credits", paramLabel = "USD", description = "its balance in USD (default: unlimited)")
    String credits;

    @Option(names = "--max-concurrent", paramLabel = "K", description = "tasks it may run at once (default: REFRAIN_DEFAULT_MAX_CONCURRENT)")
    String maxConcurrent;

    @Option(names = "--admin", description = "it may manage keys and read metrics over the HTTP API")
    boolean admin;

    @Override
    public Integer call() {
      if (name == null || name.isBlank()) throw CliError.usage("--name is required");
      Long units = credits == null ? null : usdToUnits(credits);
      Integer concurrent = maxConcurrent == null ? null : positiveInt("--max-concurrent", maxConcurrent);
      withKeys((config, keys) -> {
        ApiKeys.Issued k = keys.create(name, units, concurrent, admin);
        out().println("created key " + k.record().id() + " (" + name + ", " + (units == null ? "unlimited" : "$" + new Money(units)) + ")");
        out().println(k.secret());
      });
      return 0;
    }
  }

  @Command(name = "list", description = "List every key (never its secret).")
  static final class List extends KeysSubcommand {
    @Override
    public Integer call() {
      withKeys((config, keys) -> {
        out().printf("%-36s  %-20s  %-10s  %-8s  %-16s  %s%n", "ID", "NAME", "PREFIX", "STATE", "BALANCE (USD)", "MAX CONCURRENT");
        for (KeyRecord k : keys.list()) {
          out().printf("%-36s  %-20s  %-10s  %-8s  %-16s  %s%n", k.id(), k.name(), k.prefix(),
              k.disabled() ? "disabled" : "enabled", k.unlimited() ? "unlimited" : new Money(k.balance()).toString(),
              k.maxConcurrent() == null ? "default (" + config.defaultMaxConcurrent() + ")" : k.maxConcurrent());
        }
      });
      return 0;
    }
  }

  @Command(name = "disable", description = "Refuse the key's requests from now on.")
  static final class Disable extends SetState {
    Disable() {
      super(true);
    }
  }

  @Command(name = "enable", description = "Accept the key's requests again.")
  static final class Enable extends SetState {
    Enable() {
      super(false);
    }
  }

  private abstract static class SetState extends KeysSubcommand {
    private final boolean disabled;

    @Parameters(paramLabel = "KEY", description = "the key's id or name")
    String idOrName;

    SetState(boolean disabled) {
      this.disabled = disabled;
    }

    @Override
    public Integer call() {
      withKeys((config, keys) -> {
        KeyRecord k = keys.find(idOrName).orElseThrow(() -> CliError.usage("no key with id or name '" + idOrName + "'"));
        keys.setDisabled(k.id(), disabled);
        out().println((disabled ? "disabled" : "enabled") + " key " + k.id() + " (" + k.name() + ")");
      });
      return 0;
    }
  }

  /** A keys command, printing where the command line says. */
  private abstract static class KeysSubcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  /** Runs {@code action} on the keys of the store the settings name, closing it after. */
  private static void withKeys(BiConsumer<Config, ApiKeys> action) {
    Config config = Config.load();
    try (Database db = Database.open(config.databaseUrl())) {
      action.accept(config, new ApiKeys(db));
    }
  }

  private static long usdToUnits(String usd) {
    try {
      BigDecimal v = new BigDecimal(usd.trim());
      if (v.signum() < 0) throw CliError.usage("--credits must not be negative");
      return Money.ofUsd(v).units();
    } catch (NumberFormatException | ArithmeticException e) {
      throw CliError.usage("--credits must be an amount in USD with at most 7 decimals, e.g. 10 or 2.50");
    }
  }

  private static int positiveInt(String flag, String v) {
    try {
      int i = Integer.parseInt(v);
      if (i < 1) throw new NumberFormatException();
      return i;
    } catch (NumberFormatException e) {
      throw CliError.usage(flag + " must be a whole number of 1 or more");
    }
  }
}
