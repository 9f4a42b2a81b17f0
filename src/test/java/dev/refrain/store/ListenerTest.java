package dev.refrain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.refrain.testing.TestDatabases;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** NOTIFY on commit reaches the listener; a rollback sends nothing; a dropped listener connection comes back. PostgreSQL only. */
class ListenerTest {
  @Test
  void notificationsArriveOnCommitOnlyAndSurviveALostConnection() throws Exception {
    assumeThat(TestDatabases.postgresql()).as("LISTEN/NOTIFY is PostgreSQL's").isTrue();
    try (Database db = Database.open(TestDatabases.fresh())) {
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      db.listen(Map.of(Channel.CANCEL, got::add));
      String first = null;
      for (int i = 0; first == null; i++) { // the listener connects in the background
        assertThat(i).as("listener answers").isLessThan(100);
        send(db, "hello");
        first = got.poll(50, TimeUnit.MILLISECONDS);
      }
      Thread.sleep(100);
      got.clear();

      try {
        db.tx(c -> {
          db.notifyOnCommit(c, Channel.CANCEL, "rolled back");
          throw new IllegalStateException("roll back");
        });
      } catch (IllegalStateException expected) {
        // the notification goes with the transaction
      }
      send(db, "committed");
      assertThat(got.poll(2, TimeUnit.SECONDS)).isEqualTo("committed");

      int killed = db.read(c -> {
        try (var rs = c.createStatement().executeQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE application_name = '" + Listener.APPLICATION_NAME + "' AND datname = current_database()")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertThat(killed).isEqualTo(1);
      assertThat(got.poll(5, TimeUnit.SECONDS)).as("everyone looks again after a reconnect").isEmpty();
      send(db, "again");
      assertThat(got.poll(2, TimeUnit.SECONDS)).isEqualTo("again");
    }
  }

  private static void send(Database db, String payload) {
    db.tx(c -> {
      db.notifyOnCommit(c, Channel.CANCEL, payload);
      return null;
    });
  }
}
