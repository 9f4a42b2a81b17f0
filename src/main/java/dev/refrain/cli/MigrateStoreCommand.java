package dev.refrain.cli;

import dev.refrain.store.Database;
import dev.refrain.store.StoreCopy;
import dev.refrain.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `refrain migrate-store`: moves a single-node installation to PostgreSQL: every key, task, ledger
 * row, webhook delivery and upload, into an empty database (its schema made by the usual
 * migrations). Stop the server first; files stay where they are, or copy them to the new storage yourself.
 */
@Command(name = "migrate-store", description = {"Move a single node's SQLite store to PostgreSQL (an empty database; stop the server first).",
    "Files stay where they are."})
final class MigrateStoreCommand implements Callable<Integer> {
  private static final String SQLITE = "sqlite:";

  @Spec
  CommandSpec spec;

  // Checked here rather than required, so a mistake reads as the flag and what it takes.
  @Option(names = "--from", paramLabel = "SQLITE", description = "the SQLite database file (or its sqlite: URL) (required)")
  String from;

  @Option(names = "--to", paramLabel = "URL", description = "the PostgreSQL database, a postgresql:// URL (required)")
  String to;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public Integer call() {
    if (from == null || from.isBlank()) throw CliError.usage("--from is required");
    if (to == null || to.isBlank()) throw CliError.usage("--to is required");
    String source = from.startsWith(SQLITE) ? from : SQLITE + from;
    if (!Files.isRegularFile(Path.of(source.substring(SQLITE.length())))) {
      throw CliError.usage("--from: no SQLite database at " + source.substring(SQLITE.length()));
    }
    if (!to.startsWith("postgresql://") && !to.startsWith("postgres://") && !to.startsWith("jdbc:postgresql:")) {
      throw CliError.usage("--to must be a postgresql:// URL");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Database sqlite = Database.open(source); Database postgresql = Database.open(to)) {
      StoreCopy.copy(sqlite, postgresql).forEach((table, rows) -> out.printf("%-20s %d rows%n", table, rows));
      out.println("migrated; row counts and every key's ledger checked. Point REFRAIN_DATABASE_URL at " + to);
    } catch (StoreException e) {
      spec.commandLine().getErr().println("refrain: migrate-store failed, nothing was written: " + e.getMessage());
      return 1;
    }
    return 0;
  }
}
