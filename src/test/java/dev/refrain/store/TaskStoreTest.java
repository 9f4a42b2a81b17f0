package dev.refrain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.refrain.auth.ApiKeys;
import dev.refrain.testing.TestDatabases;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue's batch statements: a claim takes what it admitted in one go, a batch of ends changes only what it may. */
class TaskStoreTest {
  static final long MINUTE = 60_000_000;
  final TaskStore tasks = new TaskStore();
  Database db;
  String key;

  @BeforeEach
  void open() throws Exception {
    db = Database.open(TestDatabases.url(Files.createTempDirectory("task-store")));
    key = new ApiKeys(db).create("k", null, null, false).record().id();
  }

  @AfterEach
  void close() {
    if (db != null) db.close();
  }

  List<String> pending(int n) {
    List<TaskRow> rows = new ArrayList<>();
    long now = Clock.nowMicros();
    for (int i = 0; i < n; i++) {
      rows.add(new TaskRow(UUID.randomUUID().toString(), key, "Qubico/ace-step", "txt2audio", "pending", "e", "{}", "{}",
          null, null, null, 0, null, null, "[]", 0, null, 1, now + i, 0, 0, 0, 0, null, null, 0, null, 0, 0, null));
    }
    db.tx(c -> {
      tasks.insert(c, rows);
      return null;
    });
    return rows.stream().map(TaskRow::id).toList();
  }

  List<TaskRow> claim(String node, int limit, TaskStore.Admission admit) {
    long now = Clock.nowMicros();
    return db.tx(c -> tasks.claim(c, db.dialect(), node, "e", limit, now, now + MINUTE, 100, admit));
  }

  TaskRow stored(String id) {
    return db.read(c -> tasks.get(c, id)).orElseThrow();
  }

  @Test
  void aClaimTakesTheAdmittedTasksOldestFirstUpToItsLimit() {
    List<String> ids = pending(6);
    List<TaskRow> won = claim("a", 3, (id, type, c) -> !id.equals(ids.get(1)));
    assertThat(won).extracting(TaskRow::id).containsExactly(ids.get(0), ids.get(2), ids.get(3));
    assertThat(won).allSatisfy(t -> {
      assertThat(t.status()).isEqualTo("processing");
      assertThat(t.leaseOwner()).isEqualTo("a");
      assertThat(t.attempts()).isEqualTo(1);
      assertThat(t.version()).isEqualTo(1);
    });
    assertThat(claim("b", 10, (id, type, c) -> true)).extracting(TaskRow::id).containsExactly(ids.get(1), ids.get(4), ids.get(5));
  }

  @Test
  void aTaskChangedAfterTheClaimReadItIsPassedOver() {
    assumeThat(TestDatabases.postgresql()).as("another transaction commits while the claim runs").isTrue();
    List<String> ids = pending(3);
    // While the claim admits the first task, another transaction changes the second.
    List<TaskRow> won = claim("a", 10, (id, type, c) -> {
      if (id.equals(ids.get(0))) {
        db.tx(other -> {
          try (var ps = other.prepareStatement("UPDATE tasks SET version = version + 1 WHERE id = ?")) {
            ps.setString(1, ids.get(1));
            ps.executeUpdate();
          }
          return null;
        });
      }
      return true;
    });
    assertThat(won).extracting(TaskRow::id).containsExactly(ids.get(0), ids.get(2));
    assertThat(stored(ids.get(1)).status()).isEqualTo("pending");
  }

  @Test
  void aBatchOfEndsChangesOnlyTheRowsItsNodeHolds() {
    List<String> ids = pending(3);
    claim("a", 3, (id, type, c) -> true);
    Map<String, TaskRow> ended = db.tx(c -> {
      List<TaskStore.Locked> locked = tasks.lockAll(c, db.dialect(), ids);
      assertThat(locked).hasSize(3);
      List<TaskStore.End> ends = new ArrayList<>();
      for (TaskStore.Locked l : locked) {
        String id = l.row().id();
        String node = id.equals(ids.get(1)) ? "b" : "a"; // b never held the second task
        ends.add(id.equals(ids.get(2))
            ? new TaskStore.End(id, l.place(), "processing", node, "failed", null, 500, "broke", "raw", null, 0)
            : new TaskStore.End(id, l.place(), "processing", node, "completed", "{\"audio_url\":\"x\"}", 0, null, null, "[\"done\"]", 7));
      }
      return tasks.finishAll(c, db.dialect(), ends, 42);
    });
    assertThat(ended).containsOnlyKeys(ids.get(0), ids.get(2));
    TaskRow done = ended.get(ids.get(0));
    assertThat(done).isEqualTo(stored(ids.get(0)));
    assertThat(done.status()).isEqualTo("completed");
    assertThat(done.outputJson()).isEqualTo("{\"audio_url\":\"x\"}");
    assertThat(done.logsJson()).isEqualTo("[\"done\"]");
    assertThat(done.consumed()).isEqualTo(7);
    assertThat(done.progress()).isEqualTo(1.0);
    assertThat(done.endedAt()).isEqualTo(42);
    assertThat(done.leaseOwner()).isNull();
    assertThat(done.version()).isEqualTo(2);
    TaskRow failed = ended.get(ids.get(2));
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.errorCode()).isEqualTo(500);
    assertThat(failed.errorMessage()).isEqualTo("broke");
    assertThat(failed.logsJson()).as("null logs keep the stored ones").isEqualTo("[]");
    assertThat(failed.progress()).isEqualTo(0.0);
    TaskRow untouched = stored(ids.get(1));
    assertThat(untouched.status()).isEqualTo("processing");
    assertThat(untouched.leaseOwner()).isEqualTo("a");
  }
}
