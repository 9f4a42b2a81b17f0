package dev.refrain.dispatch;

import static dev.refrain.testing.StoreQueries.awaitCount;
import static dev.refrain.testing.StoreQueries.count;
import static dev.refrain.testing.StoreQueries.ledgerKinds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.auth.ApiKeys;
import dev.refrain.engine.backend.sim.AceServerSimulator;
import dev.refrain.engine.backend.sim.AceStepApiSimulator;
import dev.refrain.engine.backend.sim.BackendSimulator;
import dev.refrain.store.Database;
import dev.refrain.testing.Api;
import dev.refrain.testing.ServerProcess;
import dev.refrain.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Three server processes over one PostgreSQL in front of the same GPU backends, as a scaled-out
 * deployment runs them: the same {@code REFRAIN_BACKEND_*} settings on every node, the backends
 * simulated in this JVM with one slot each. A backend's slots belong to the fleet, not to each node:
 * it never holds more jobs than its slots whichever nodes send them (no 503 from ace-server, nothing
 * waiting in acestep-api's queue); a node killed with jobs on the backends gives their slots back once
 * its lease runs out, and its tasks complete elsewhere, billed once; a backend listed for some nodes
 * ({@code REFRAIN_BACKEND_<NAME>_NODES}) gets jobs from those nodes only.
 */
// Runs once, in the default execution: it sets up its own PostgreSQL database whatever the suite runs on.
@DisabledIfSystemProperty(named = "refrain.test.database", matches = "postgresql")
@DisabledIfSystemProperty(named = "refrain.test.storage", matches = "s3")
class FleetTest {
  private static final int NODES = 3;
  private static final int TASKS = 300;
  private static final int KILL_TASKS = 12;
  private static final Duration LEASE = Duration.ofSeconds(3);
  /** 300 tasks over 4 slots: 15 s of backend time, under the rate the clients create tasks at on 2 cores. */
  private static final Duration SERVICE = Duration.ofMillis(200);
  /** Shorter than the lease: the dead node's jobs end before its slots can come back, so "at most one" is fair. */
  private static final Duration KILL_SERVICE = Duration.ofMillis(1500);
  /** How late after the lease a slot may come back on a loaded machine: a slow dispatcher poll (1 s), a claim, a request. */
  private static final Duration MARGIN = Duration.ofSeconds(4);
  private static final long CREDIT = 100_000_000L;
  /** Each task: 10 s of audio at 5,000 units a second. */
  private static final long PRICE = 50_000;

  private record Sim(String name, BackendSimulator<?> sim) {
    String kind() {
      return sim instanceof AceServerSimulator ? "acestep-cpp" : "acestep-api";
    }
  }

  private final List<Sim> sims = new ArrayList<>();
  private final List<Process> nodes = new ArrayList<>();
  private final List<Api> apis = new ArrayList<>();
  private String database;
  private String secret;
  private String keyId;

  @AfterEach
  void stop() throws Exception {
    for (Process p : nodes) {
      if (p.isAlive()) signal(p, "CONT"); // a stopped process would keep its SIGTERM pending
      p.destroy();
    }
    for (Process p : nodes) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }
    for (Sim s : sims) s.sim().close();
  }

  @Test
  void threeNodesNeverOverCommitABackendAndADeadNodesSlotsComeBackWithinItsLease() throws Exception {
    sim("cpp1", AceServerSimulator.start());
    sim("cpp2", AceServerSimulator.start());
    sim("api1", AceStepApiSimulator.start());
    sim("api2", AceStepApiSimulator.start());
    Map<String, String> env = settings();
    for (Sim s : sims) {
      s.sim().serviceTime(SERVICE);
      backend(env, s, "");
    }
    startCluster(n -> env); // the same settings on every node: nothing says the backends are shared
    SoftAssertions soft = new SoftAssertions();

    // 1. Tasks created round-robin from several clients at once; each backend holds one job at most.
    Set<String> ids = create(TASKS, i -> apis.get(i % NODES));
    try (Database db = Database.open(database)) {
      awaitCount(db, "SELECT COUNT(*) FROM tasks WHERE status IN ('completed', 'failed')", TASKS, Duration.ofSeconds(150));
      checkSlots(soft, "1. " + TASKS + " tasks from " + NODES + " nodes", new int[sims.size()], new int[sims.size()]);
      checkJobs(soft, db, ids, new int[sims.size()], TASKS);
    }

    Set<String> phaseOne = Set.copyOf(ids);

    // 2. Node 1 alone takes work (the others are stopped, SIGSTOP) until it has a job on every backend, then dies
    // (SIGKILL: no hand-back) and the others go on. Its slots must stay taken until its leases run out.
    int[] started = new int[sims.size()];
    int[] busy = new int[sims.size()];
    for (int i = 0; i < sims.size(); i++) {
      BackendSimulator<?> s = sims.get(i).sim();
      s.serviceTime(KILL_SERVICE).resetPeaks();
      started[i] = s.jobsStarted();
      busy[i] = s.busyAnswers();
    }
    say("2. node 1 alone takes work");
    Process victim = nodes.get(1);
    List<String> orphans;
    int[] startedAtKill = new int[sims.size()];
    int[] finishedAtKill = new int[sims.size()];
    long killed;
    signal(nodes.get(0), "STOP");
    signal(nodes.get(2), "STOP");
    try {
      ids.addAll(create(KILL_TASKS, i -> apis.get(1)));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!sims.stream().allMatch(s -> s.sim().jobsRunning() == 1)) {
        if (System.nanoTime() > deadline) throw new AssertionError("node 1 never had a job on every backend: " + running());
        Thread.sleep(5);
      }
      killed = System.nanoTime();
      victim.destroyForcibly().waitFor();
      for (int i = 0; i < sims.size(); i++) {
        startedAtKill[i] = sims.get(i).sim().jobsStarted();
        finishedAtKill[i] = sims.get(i).sim().jobsFinished();
      }
      // The others are stopped: what is processing now is the dead node's.
      try (Database db = Database.open(database)) {
        orphans = ids(db, "SELECT id FROM tasks WHERE status = 'processing'");
      }
    } finally {
      signal(nodes.get(0), "CONT");
      signal(nodes.get(2), "CONT");
    }
    long[] nextStart = new long[sims.size()];
    long[] deadJobEnd = new long[sims.size()];
    Arrays.fill(nextStart, -1);
    Arrays.fill(deadJobEnd, -1);
    long until = killed + LEASE.plus(MARGIN).plusSeconds(10).toNanos();
    while (System.nanoTime() < until && Arrays.stream(nextStart).anyMatch(t -> t < 0)) {
      long now = System.nanoTime() - killed;
      for (int i = 0; i < sims.size(); i++) {
        BackendSimulator<?> s = sims.get(i).sim();
        if (deadJobEnd[i] < 0 && s.jobsFinished() > finishedAtKill[i]) deadJobEnd[i] = now;
        if (nextStart[i] < 0 && s.jobsStarted() > startedAtKill[i]) nextStart[i] = now;
      }
      Thread.sleep(2);
    }
    try (Database db = Database.open(database)) {
      awaitCount(db, "SELECT COUNT(*) FROM tasks WHERE status IN ('completed', 'failed')", TASKS + KILL_TASKS, Duration.ofSeconds(90));
      for (int i = 0; i < sims.size(); i++) {
        Sim s = sims.get(i);
        say("%s: dead node's job ended %s after the kill, next job started %s after it (lease %d s)",
            s.name(), seconds(deadJobEnd[i]), seconds(nextStart[i]), LEASE.toSeconds());
        soft.assertThat(nextStart[i]).as("%s: kill -> its next job starts (ns), within the lease + %d s", s.name(), MARGIN.toSeconds())
            .isBetween(0L, LEASE.plus(MARGIN).toNanos());
      }
      checkSlots(soft, "2. " + KILL_TASKS + " tasks, node 1 killed with a job on every backend", started, busy);
      soft.assertThat(orphans.size()).as("the dead node's tasks: one on each backend, maybe one more being stored").isGreaterThanOrEqualTo(sims.size());
      for (String id : orphans) {
        soft.assertThat(count(db, "SELECT COUNT(*) FROM tasks WHERE status = 'completed' AND attempts >= 2 AND id = '" + id + "'"))
            .as("the dead node's task %s completed on another node", id).isEqualTo(1);
      }
      Set<String> killPhase = new HashSet<>(ids);
      killPhase.removeAll(phaseOne);
      // Each of the dead node's tasks had its job (running, or done and being stored) and runs again.
      checkJobs(soft, db, killPhase, started, KILL_TASKS + orphans.size());
      checkBilledOnce(soft, db, ids);
    }
    soft.assertAll();
  }

  @Test
  void aBackendListedForSomeNodesGetsJobsOnlyFromThem() throws Exception {
    sim("solo", AceServerSimulator.start());
    sim("pair", AceStepApiSimulator.start());
    sim("anyone", AceServerSimulator.start());
    for (Sim s : sims) s.sim().serviceTime(Duration.ofMillis(100));
    startCluster(n -> {
      Map<String, String> env = settings();
      env.put("REFRAIN_NODE_NAME", "node" + n);
      // Each node sends its own name as the backends' key: the simulators count jobs by it (none of them checks it).
      for (Sim s : sims) backend(env, s, "node" + n);
      env.put("REFRAIN_BACKEND_SOLO_NODES", "node1");
      env.put("REFRAIN_BACKEND_PAIR_NODES", "node0,node2");
      env.put("REFRAIN_BACKEND_SOLO_PRIORITY", "1");
      env.put("REFRAIN_BACKEND_PAIR_PRIORITY", "1");
      return env;
    });
    SoftAssertions soft = new SoftAssertions();
    int tasks = 60;
    Set<String> ids = create(tasks, i -> apis.get(i % NODES));
    try (Database db = Database.open(database)) {
      awaitCount(db, "SELECT COUNT(*) FROM tasks WHERE status IN ('completed', 'failed')", tasks, Duration.ofSeconds(90));
      checkSlots(soft, tasks + " tasks, solo for node1, pair for node0 and node2", new int[sims.size()], new int[sims.size()]);
      soft.assertThat(sims.get(0).sim().jobsByAuthorization().keySet()).as("solo's jobs, by sender").containsOnly("Bearer node1");
      soft.assertThat(sims.get(1).sim().jobsByAuthorization().keySet()).as("pair's jobs, by sender")
          .isNotEmpty().isSubsetOf("Bearer node0", "Bearer node2");
      checkJobs(soft, db, ids, new int[sims.size()], tasks);
      checkBilledOnce(soft, db, ids);
    }
    soft.assertAll();
  }

  // ---------------------------------------------------------------- the cluster

  private void sim(String name, BackendSimulator<?> s) {
    sims.add(new Sim(name, s));
  }

  /** What every node gets; {@link #startCluster} adds the database. */
  private static Map<String, String> settings() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("REFRAIN_LEASE", LEASE.toSeconds() + "s");
    env.put("REFRAIN_BACKEND_POLL_INTERVAL", "50ms");
    env.put("REFRAIN_PREVIEW_FALLBACK", "false"); // every task goes to a backend
    env.put("REFRAIN_DECODERS", "1");
    env.put("REFRAIN_MAX_PENDING_PER_KEY", "10000");
    return env;
  }

  private static void backend(Map<String, String> env, Sim s, String apiKey) {
    String p = "REFRAIN_BACKEND_" + s.name().toUpperCase(Locale.ROOT) + "_";
    env.put(p + "KIND", s.kind());
    env.put(p + "URL", s.sim().url());
    env.put(p + "SLOTS", "1");
    if (!apiKey.isEmpty()) env.put(p + "API_KEY", apiKey);
  }

  /** A fresh database with a key, then {@link #NODES} servers on it, each with {@code envOf.apply(node)}. */
  private void startCluster(IntFunction<Map<String, String>> envOf) throws Exception {
    database = TestDatabases.fresh();
    try (Database db = Database.open(database)) {
      ApiKeys.Issued k = new ApiKeys(db).create("fleet", CREDIT, 10_000, false);
      secret = k.secret();
      keyId = k.record().id();
    }
    Path root = Files.createTempDirectory("refrain-fleet-");
    for (int n = 0; n < NODES; n++) {
      Path dir = Files.createDirectories(root.resolve("node" + n));
      int port = ServerProcess.freePort();
      Map<String, String> env = envOf.apply(n);
      env.put("REFRAIN_DATABASE_URL", database);
      nodes.add(ServerProcess.launch(dir, port, "server.log", env));
      apis.add(new Api("http://127.0.0.1:" + port));
    }
    for (int n = 0; n < NODES; n++) ServerProcess.awaitHealthy(apis.get(n), nodes.get(n), root.resolve("node" + n).resolve("server.log"));
    say("%d nodes up, data dirs under %s", NODES, root);
  }

  /** Creates {@code n} ten-second txt2audio tasks from 8 clients at once, task i through {@code via.apply(i)}. */
  private Set<String> create(int n, IntFunction<Api> via) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> created = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Api api = via.apply(i);
        created.add(clients.submit(() -> {
          Api.Reply r = api.post("/api/v1/task", secret,
              "{\"model\":\"Qubico/ace-step\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"piano\",\"duration\":10}}");
          assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
          return r.data().path("task_id").asText();
        }));
      }
      Set<String> ids = new HashSet<>();
      for (Future<String> f : created) ids.add(f.get());
      assertThat(ids).hasSize(n);
      return ids;
    } finally {
      clients.shutdown();
    }
  }

  private static void signal(Process p, String sig) throws Exception {
    new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
  }

  // ---------------------------------------------------------------- checks

  /** No backend held more than its one slot since {@code resetPeaks}; no busy answer since {@code busy}. */
  private void checkSlots(SoftAssertions soft, String phase, int[] started, int[] busy) {
    say("%s:", phase);
    for (int i = 0; i < sims.size(); i++) {
      Sim s = sims.get(i);
      BackendSimulator<?> b = s.sim();
      say("  %-6s %-11s jobs %3d, most on its GPU at once %d, most held (queued + running) %d,"
          + " busy answers %d, jobs by sender %s", s.name(), s.kind(), b.jobsStarted() - started[i], b.maxConcurrentJobs(),
          b.maxJobsHeld(), b.busyAnswers() - busy[i], b.jobsByAuthorization());
      soft.assertThat(b.maxConcurrentJobs()).as("%s: %s, most jobs on its GPU at once (1 slot)", phase, s.name()).isLessThanOrEqualTo(1);
      soft.assertThat(b.maxJobsHeld()).as("%s: %s, most jobs handed to it and unfinished at once (1 slot)", phase, s.name())
          .isLessThanOrEqualTo(1);
      soft.assertThat(b.busyAnswers() - busy[i]).as("%s: %s, busy answers (503/429) from over-commit", phase, s.name()).isZero();
    }
  }

  /**
   * The jobs the backends started since {@code started}: at least {@code atLeast}, and no more than the
   * tasks' claims, so none came from anywhere but a claim. (A node starved of CPU past its lease loses
   * a task to another node, which runs it again: a second job, still one charge.)
   */
  private void checkJobs(SoftAssertions soft, Database db, Set<String> ids, int[] started, int atLeast) {
    int jobs = 0;
    for (int i = 0; i < sims.size(); i++) jobs += sims.get(i).sim().jobsStarted() - started[i];
    long claims = count(db, "SELECT COALESCE(SUM(attempts), 0) FROM tasks WHERE id IN ('" + String.join("', '", ids) + "')");
    say("jobs on the backends %d, claims of the %d tasks %d", jobs, ids.size(), claims);
    soft.assertThat(jobs).as("jobs on the backends for %d tasks (claimed %d times in all)", ids.size(), claims).isBetween(atLeast, (int) claims);
  }

  /** Every task completed, held, released and charged once; the key's balance is its ledger's sum. */
  private void checkBilledOnce(SoftAssertions soft, Database db, Set<String> ids) {
    db.read(c -> {
      try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, status, attempts, logs_json FROM tasks WHERE attempts > 1 ORDER BY id")) {
        while (rs.next()) {
          say("task %s %s, claimed %d times: %s", rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4));
        }
      }
      return null;
    });
    soft.assertThat(ids(db, "SELECT id FROM tasks WHERE status <> 'completed'")).as("tasks not completed").isEmpty();
    Map<String, Map<String, Long>> kinds = ledgerKinds(db);
    for (String id : ids) {
      soft.assertThat(kinds.get(id)).as("ledger rows of task %s", id).isEqualTo(Map.of("hold", 1L, "release", 1L, "charge", 1L));
    }
    long balance = count(db, "SELECT balance FROM api_keys WHERE id = '" + keyId + "'");
    soft.assertThat(count(db, "SELECT COALESCE(SUM(consumed), 0) FROM tasks")).isEqualTo(ids.size() * PRICE);
    soft.assertThat(balance).isEqualTo(CREDIT - ids.size() * PRICE);
    soft.assertThat(count(db, "SELECT COALESCE(SUM(units), 0) FROM ledger WHERE key_id = '" + keyId + "'")).isEqualTo(balance);
  }

  private static List<String> ids(Database db, String sql) {
    return db.read(c -> {
      List<String> out = new ArrayList<>();
      try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) out.add(rs.getString(1));
      }
      return out;
    });
  }

  private String running() {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (Sim s : sims) m.put(s.name(), s.sim().jobsRunning());
    return m.toString();
  }

  private static void say(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[fleet %tT] %s%n", java.time.LocalTime.now(), String.format(Locale.ROOT, format, args));
  }

  private static String seconds(long nanos) {
    return nanos < 0 ? "never (in the time watched)" : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
