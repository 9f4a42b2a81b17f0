package dev.refrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refrain.config.Config;
import dev.refrain.testing.TestDatabases;
import dev.refrain.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails part-way closes what it had started, on the suite's store and storage. */
class FailedStartTest {
  @TempDir Path dir;

  @Test
  void aFailedStartInProcessLeavesNoThreadBehind() throws Exception {
    // The engine is looked up after the database and storage are open: they must be closed again.
    Map<String, String> env = new HashMap<>(TestServer.defaults(dir));
    if (TestDatabases.postgresql()) env.put("REFRAIN_DATABASE_URL", TestDatabases.url(dir));
    env.put("REFRAIN_ENGINE", "no-such-engine");
    Config config = Config.fromMap(env);
    Server.start(Config.fromMap(TestServer.defaults(Files.createDirectories(dir.resolve("warm"))))).close(); // load every class once
    Set<Thread> before = Thread.getAllStackTraces().keySet();

    assertThatThrownBy(() -> Server.start(config)).isInstanceOf(StartException.class)
        .hasMessageStartingWith("REFRAIN_ENGINE names unknown engine 'no-such-engine'");

    List<String> left = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    do {
      left.clear();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (!before.contains(t) && t.isAlive()) left.add(t.getName());
      }
      if (!left.isEmpty()) Thread.sleep(50);
    } while (!left.isEmpty() && System.nanoTime() < end);
    assertThat(left).as("threads started by the failed start and still running").isEmpty();
  }

}
