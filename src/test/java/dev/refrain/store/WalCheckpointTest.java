package dev.refrain.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's WAL under writes that never pause: it starts over (and is trimmed) instead of growing with them. */
class WalCheckpointTest {
  @TempDir Path dir;

  @Test
  void theWalStartsOverWhileWritesNeverStop() throws Exception {
    Path wal = dir.resolve("refrain.db-wal");
    try (Database db = Database.open("sqlite:" + dir.resolve("refrain.db"))) {
      db.tx(c -> c.createStatement().execute("CREATE TABLE scratch (n INTEGER PRIMARY KEY, filler BLOB)"));
      // A new page per row, one commit each, back to back. Each background checkpoint folds in
      // what was there when it began, but the next commit is already behind it: without one that
      // reaches the WAL's end with writes held, the file only grows (past 900 MiB in this loop).
      long previous = 0;
      long shrunkAt = -1;
      for (long n = 0; n < 150_000 && shrunkAt < 0; n++) {
        long row = n;
        db.tx(c -> {
          try (var ps = c.prepareStatement("INSERT INTO scratch (n, filler) VALUES (?, zeroblob(3500))")) {
            ps.setLong(1, row);
            return ps.executeUpdate();
          }
        });
        if (n % 500 == 0 && Files.exists(wal)) {
          long size = Files.size(wal);
          if (size < previous) shrunkAt = n;
          previous = size;
        }
      }
      assertThat(shrunkAt).as("the row at which the WAL file was seen smaller than before").isPositive();
      assertThat(Files.size(wal)).isLessThan(400L << 20);
    }
  }
}
