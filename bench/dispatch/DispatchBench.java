package dev.refrain.bench.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refrain.core.OutputFormat;
import dev.refrain.engine.backend.sim.AceServerSimulator;
import dev.refrain.engine.backend.sim.AceStepApiSimulator;
import dev.refrain.engine.backend.sim.BackendSimulator;
import dev.refrain.engine.backend.sim.SimAudio;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dispatch benchmark: a Refrain server (its own process, started from target/refrain.jar) in
 * front of simulated GPU backends (the test fixtures {@link AceServerSimulator} and
 * {@link AceStepApiSimulator}, real HTTP servers on 127.0.0.1 inside this JVM). Three measurements:
 *
 * <pre>
 *   makespan   DIR   several backends, one slot each, a fixed service time; a few hundred short
 *                    txt2audio tasks at once; makespan against total work / total slots
 *   latency    DIR   one backend at a time; a 240 s, 48 kHz stereo result: from the simulator's
 *                    end of job to the task's meta.ended_at, median, with the stage breakdown
 *   nodes      DIR   the makespan run with several servers (BENCH_NODES, 3) on one PostgreSQL
 *                    database (BENCH_NODES_DATABASE) sharing the same backends, tasks posted
 *                    round-robin: the backends' slots must hold across the nodes
 *   all        DIR   makespan and latency
 * </pre>
 *
 * Parts can be joined with commas ({@code makespan,nodes}); with both makespan runs, the two are
 * printed side by side at the end.
 *
 * DIR is a scratch folder (server data, logs, and {@code server.pids} so the calling script can
 * kill a server this JVM could not stop). Knobs are environment variables; see bench/README.md.
 * Never fails because a goal is missed; exits non-zero only when the run itself broke.
 */
public final class DispatchBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "Qubico/ace-step";

  private final Path dir;

  private DispatchBench(Path dir) {
    this.dir = dir;
  }

  public static void main(String[] args) throws Exception {
    List<String> parts = args.length == 2 ? List.of(args[0].split(",")) : List.of();
    if (parts.isEmpty() || !List.of("makespan", "latency", "nodes", "all").containsAll(parts)) {
      System.err.println("usage: DispatchBench PART[,PART...] SCRATCH_DIR   (PART: makespan, latency, nodes; all = makespan,latency)");
      System.exit(2);
    }
    DispatchBench b = new DispatchBench(Path.of(args[1]));
    boolean all = parts.contains("all");
    Makespan one = all || parts.contains("makespan") ? b.makespan(1) : null;
    if (all || parts.contains("latency")) b.latency();
    if (parts.contains("nodes")) {
      Makespan many = b.makespan(knob("BENCH_NODES", 3));
      if (one != null) Makespan.compare(one, many);
    }
  }

  // ================================================================================ knobs

  private static int knob(String name, int dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
  }

  private static String knob(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  // ================================================================================ 1. makespan

  /** What a makespan run found: for the one node / several nodes comparison. */
  private record Makespan(int nodes, double makespanS, double idealS, int failed, int maxGpu, int maxHeld, int busy) {
    double ratio() {
      return makespanS / idealS;
    }

    static void compare(Makespan one, Makespan many) {
      System.out.println();
      System.out.printf(Locale.ROOT, "one node vs %d nodes: the same backends, tasks and service times%n", many.nodes);
      System.out.printf(Locale.ROOT, "   %-6s %10s %9s %16s %7s %9s %9s %13s%n", "nodes", "makespan", "ideal", "makespan/ideal", "failed",
          "max GPU", "max held", "busy answers");
      for (Makespan m : List.of(one, many)) {
        System.out.printf(Locale.ROOT, "   %-6d %8.2f s %7.2f s %16.4f %7d %9d %9d %13d%n", m.nodes, m.makespanS, m.idealS, m.ratio(),
            m.failed, m.maxGpu, m.maxHeld, m.busy);
      }
      System.out.printf(Locale.ROOT, "   %d nodes / one node: makespan %.3f%n", many.nodes, many.makespanS / one.makespanS);
    }
  }

  /**
   * Makespan with {@code nodes} Refrain servers in front of the same simulated backends: one on
   * SQLite, or several on one PostgreSQL database ({@code BENCH_NODES_DATABASE}, made by the run
   * script) with the same backend settings, tasks posted round-robin over them.
   */
  private Makespan makespan(int nodes) throws Exception {
    String part = nodes == 1 ? "1. makespan" : "3. makespan, " + nodes + " nodes";
    String result = nodes == 1 ? "" : "nodes_";
    int nCpp = knob("BENCH_CPP_BACKENDS", 3);
    int nApi = knob("BENCH_API_BACKENDS", 3);
    int tasks = knob("BENCH_TASKS", 300);
    int serviceMs = knob("BENCH_SERVICE_MS", 3000);
    int pollMs = knob("BENCH_POLL_MS", 100);
    int spreadMs = knob("BENCH_SERVICE_SPREAD_MS", 400);
    int duration = 10;
    int slots = nCpp + nApi;
    if (slots == 0) throw new IllegalArgumentException("no backends");
    // Service time = fixed + perSecond x duration, the durations 10, 12, .. 24 s in a fixed shuffled order (even seconds
    // lie on ace-server's 80 ms grid, so both simulators make exactly the asked length). A spread keeps the end of a
    // job from falling at the same phase of the acestep-api poll loop every time, as it would with one fixed time.
    int[] durations = new int[tasks];
    java.util.Random rnd = new java.util.Random(42);
    for (int i = 0; i < tasks; i++) durations[i] = spreadMs == 0 ? duration : duration + 2 * rnd.nextInt(8);
    // 400 ms over 14 s: steps of 57 ms, so the ends of jobs fall at well spread phases of a 100 ms poll loop.
    double perSecondMs = spreadMs / 14.0;
    double fixedMs = serviceMs - (spreadMs == 0 ? 0 : perSecondMs * 17);
    double workS = 0;
    for (int d : durations) workS += (fixedMs + (spreadMs == 0 ? 0 : perSecondMs * d)) / 1000.0;
    double idealS = workS / slots;
    log("%s: %d acestep-cpp + %d acestep-api backends (1 slot each), service %d ms (%d..%d), poll %d ms, %d tasks"
        + " (ideal %.1f s)", part, nCpp, nApi, serviceMs, serviceMs - spreadMs / 2, serviceMs + spreadMs / 2, pollMs, tasks, idealS);

    List<Sim> sims = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("REFRAIN_BACKEND_POLL_INTERVAL", pollMs + "ms");
    if (nodes > 1) {
      String db = System.getenv("BENCH_NODES_DATABASE");
      if (db == null || db.isBlank()) throw new IllegalStateException("several nodes need BENCH_NODES_DATABASE, an empty PostgreSQL database");
      env.put("REFRAIN_DATABASE_URL", db);
    }
    try (Watch watch = new Watch()) {
      for (int i = 1; i <= nCpp; i++) sims.add(Sim.cpp("cpp" + i, watch));
      for (int i = 1; i <= nApi; i++) sims.add(Sim.api("api" + i, watch));
      for (Sim s : sims) {
        s.sim.serviceTime(Duration.ofMillis(100)); // the warm-up runs fast
        s.configure(env);
      }
      // Both simulators make 10 s as 480,000 frames; encode it once now, not during the run.
      for (int d = duration; d <= duration + 14; d += 2) SimAudio.encoded(SimAudio.frames(d), OutputFormat.MP3, 128);
      try (Fleet fleet = Fleet.start(dir, nodes == 1 ? "makespan" : "nodes", env, nodes)) {
        List<Client> clients = fleet.clients();
        Client c = clients.get(0);
        // Warm-up: two rounds on every backend (class loading, FFmpeg's first load, JIT), not measured.
        List<String> warm = new ArrayList<>();
        for (int i = 0; i < 2 * slots; i++) warm.add(clients.get(i % nodes).create(duration, "mp3"));
        for (String id : warm) c.awaitEnd(id, deadlineIn(60));
        c.awaitIdle(deadlineIn(30));
        for (Sim s : sims) {
          s.sim.serviceTime(Duration.ofNanos((long) (fixedMs * 1e6)),
              Duration.ofNanos(spreadMs == 0 ? 0 : (long) (perSecondMs * 1e6)));
          s.mark();
        }

        Cpu cpu0 = Cpu.now(fleet.pids());
        long submit0 = nowMicros();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) ids.add(clients.get(i % nodes).create(durations[i], "mp3")); // round-robin over the nodes
        long submit1 = nowMicros();
        long deadline = deadlineIn((long) (idealS * 2) + 60);
        while (sims.stream().mapToInt(Sim::finishedSinceMark).sum() < tasks && System.nanoTime() < deadline) Thread.sleep(50);
        c.awaitIdle(deadline);
        Cpu cpu1 = Cpu.now(fleet.pids());

        long firstStart = Long.MAX_VALUE;
        long lastEnd = 0;
        long lastCreated = 0;
        int completed = 0;
        int failed = 0;
        int extraAttempts = 0;
        int busy = 0;
        Map<String, Integer> byBackendLogs = new LinkedHashMap<>();
        Map<String, List<long[]>> runsByBackend = new LinkedHashMap<>(); // {started_at, ended_at} of its tasks
        List<String> failures = new ArrayList<>();
        for (String id : ids) {
          JsonNode t = c.get(id);
          String st = t.path("status").asText();
          JsonNode m = t.path("meta");
          if (st.equals("completed")) {
            completed++;
            firstStart = Math.min(firstStart, micros(m.path("started_at").asText()));
            lastEnd = Math.max(lastEnd, micros(m.path("ended_at").asText()));
          } else {
            failed++;
            if (failures.size() < 3) failures.add(id + " " + st + ": " + t.path("error").path("message").asText());
          }
          lastCreated = Math.max(lastCreated, micros(m.path("created_at").asText()));
          for (JsonNode l : t.path("logs")) {
            Matcher a = ATTEMPT.matcher(l.asText());
            if (a.find()) {
              byBackendLogs.merge(a.group(1), 1, Integer::sum);
              if (st.equals("completed")) {
                runsByBackend.computeIfAbsent(a.group(1), k -> new ArrayList<>())
                    .add(new long[] {micros(m.path("started_at").asText()), micros(m.path("ended_at").asText())});
              }
              if (!a.group(3).equals("1")) extraAttempts++;
            }
            if (l.asText().contains(" is busy (")) busy++;
          }
        }
        double makespanS = (lastEnd - firstStart) / 1e6;
        double ratio = makespanS / idealS;
        double clientS = (lastEnd - submit0) / 1e6;

        System.out.println();
        System.out.printf(Locale.ROOT, "%s: %d txt2audio tasks (10-24 s, mp3) on %d backends x 1 slot (%d acestep-cpp, %d acestep-api),"
            + " service %d ms per job on average (%d..%d by duration), poll interval %d ms%n", part, tasks, slots, nCpp, nApi, serviceMs,
            serviceMs - spreadMs / 2, serviceMs + spreadMs / 2, pollMs);
        if (nodes > 1) {
          System.out.printf(Locale.ROOT, "   %d Refrain nodes on one PostgreSQL database, each with the same %d backends; tasks posted"
              + " round-robin over the nodes%n", nodes, slots);
        }
        System.out.printf(Locale.ROOT, "   makespan (first started_at -> last ended_at) %8.2f s   ideal (work %d x %.3f s / %d slots) %.2f s%n",
            makespanS, tasks, workS / tasks, slots, idealS);
        System.out.printf(Locale.ROOT, "   makespan / ideal %.4f   goal <= 1.02: %s%n", ratio, verdict(ratio <= 1.02));
        System.out.printf(Locale.ROOT, "   completed %d, failed %d, attempts beyond the first %d, busy answers logged %d;"
            + " client: %d POSTs in %.2f s (the last created %.2f s after the first start), first POST -> last ended_at %.2f s%n",
            completed, failed, extraAttempts, busy, tasks, (submit1 - submit0) / 1e6, (lastCreated - firstStart) / 1e6, clientS);
        for (String f : failures) System.out.println("   failed: " + f);
        System.out.println("   " + Cpu.report(cpu0, cpu1));
        double lost = (makespanS * slots - workS) / tasks * 1000;
        double head = 0;
        double tail = 0;
        double measuredWork = 0;
        for (Sim s : sims) {
          if (s.started.times().isEmpty()) continue;
          head += (s.started.times().get(0) - firstStart) / 1e3 / slots;
          tail += (lastEnd - s.ends().get(s.ends().size() - 1)) / 1e3 / slots;
          for (long x : s.services()) measuredWork += x / 1e6;
        }
        System.out.printf(Locale.ROOT, "   slot time lost per task ((makespan x slots - work) / tasks): %.1f ms; per slot on average: %.0f ms before"
            + " its first job, %.0f ms after its last job ended until the last task ended; the simulators' own service"
            + " (sleep overshoot) added %.0f ms per slot%n", lost, head, tail, (measuredWork - workS) * 1000 / slots);
        System.out.println("   per backend (from the simulators; gap = its end of one job -> start of its next):");
        System.out.printf(Locale.ROOT, "     %-5s %-11s %5s %9s %8s %8s %9s %12s %10s %10s %13s%n", "name", "kind", "jobs", "per logs",
            "max GPU", "max held", "busy", "service p50", "gap p50", "gap p90", "poll wait p50");
        Map<String, List<Long>> gapsByKind = new LinkedHashMap<>();
        Map<String, List<Long>> waitsByKind = new LinkedHashMap<>();
        int sumJobs = 0;
        for (Sim s : sims) {
          List<Long> gaps = s.gaps();
          List<Long> waits = s.pollWaits();
          gapsByKind.computeIfAbsent(s.kind, k -> new ArrayList<>()).addAll(gaps);
          waitsByKind.computeIfAbsent(s.kind, k -> new ArrayList<>()).addAll(waits);
          sumJobs += s.finishedSinceMark();
          System.out.printf(Locale.ROOT, "     %-5s %-11s %5d %9d %8d %8d %9d %12s %10s %10s %13s%n", s.name, s.kind, s.finishedSinceMark(),
              byBackendLogs.getOrDefault(s.name, 0), s.sim.maxConcurrentJobs(), s.maxHeld(), s.busyAnswers(),
              ms(pct(s.services(), 50)), ms(pct(gaps, 50)), ms(pct(gaps, 90)), s.kind.equals("acestep-api") ? ms(pct(waits, 50)) : "-");
        }
        System.out.printf(Locale.ROOT, "     jobs on the simulators %d (of %d tasks); slots: 1 each, so max GPU and max held must stay <= 1%n",
            sumJobs, tasks);
        int maxGpu = sims.stream().mapToInt(s -> s.sim.maxConcurrentJobs()).max().orElse(0);
        int maxHeld = sims.stream().mapToInt(Sim::maxHeld).max().orElse(0);
        int busyAnswers = sims.stream().mapToInt(Sim::busyAnswers).sum();
        System.out.printf(Locale.ROOT, "   over-commit: busy answers (503/429) %d   goal 0: %s;  most jobs one backend held at once %d"
            + "   goal <= 1: %s%n", busyAnswers, verdict(busyAnswers == 0), maxHeld, verdict(maxHeld <= 1));
        gapsByKind.forEach((k, g) -> System.out.printf(Locale.ROOT, "   %-11s gap between jobs: n=%d p50 %s p90 %s max %s%s%n", k,
            g.size(), ms(pct(g, 50)), ms(pct(g, 90)), ms(pct(g, 100)),
            k.equals("acestep-api") ? String.format(Locale.ROOT, "; of it, end of job -> GET /v1/audio (poll wait): p50 %s p90 %s",
                ms(pct(waitsByKind.get(k), 50)), ms(pct(waitsByKind.get(k), 90))) : ""));
        // The gap split by the server's own timestamps: tasks on a one-slot backend run in started_at
        // order, so the i-th task there is the simulator's i-th job.
        System.out.println("   the gap, split (p50 / p90): job end -> task ended_at (answer, decode, store, complete) | ended_at ->"
            + " next task's started_at (slot release, wake-up, claim) | started_at -> its job starts on the backend (request)");
        Map<String, List<List<Long>>> split = new LinkedHashMap<>();
        for (Sim s : sims) {
          List<long[]> runs = runsByBackend.getOrDefault(s.name, List.of());
          runs.sort((x, y) -> Long.compare(x[0], y[0]));
          List<Long> st = s.started.times();
          List<Long> en = s.ends();
          if (s.maxHeld() > 1) { // its tasks overlapped: the i-th task is no longer the i-th job
            System.out.printf(Locale.ROOT, "     %s: held %d jobs at once: not split%n", s.name, s.maxHeld());
            continue;
          }
          if (runs.size() != st.size() || runs.size() != en.size()) {
            System.out.printf(Locale.ROOT, "     %s: %d tasks but %d job starts and %d ends on the simulator: not split%n", s.name,
                runs.size(), st.size(), en.size());
            continue;
          }
          List<List<Long>> parts = split.computeIfAbsent(s.kind, k -> List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
          for (int i = 0; i < runs.size(); i++) {
            parts.get(0).add(runs.get(i)[1] - en.get(i));
            parts.get(2).add(st.get(i) - runs.get(i)[0]);
            if (i + 1 < runs.size()) parts.get(1).add(runs.get(i + 1)[0] - runs.get(i)[1]);
          }
        }
        split.forEach((k, parts) -> System.out.printf(Locale.ROOT, "   %-11s %s / %s | %s / %s | %s / %s%n", k,
            ms(pct(parts.get(0), 50)), ms(pct(parts.get(0), 90)), ms(pct(parts.get(1), 50)), ms(pct(parts.get(1), 90)),
            ms(pct(parts.get(2), 50)), ms(pct(parts.get(2), 90))));
        System.out.printf(Locale.ROOT, "RESULT %1$smakespan_s %2$.3f%nRESULT %1$smakespan_ideal_s %3$.3f%nRESULT %1$smakespan_ratio %4$.4f%n"
            + "RESULT %1$sbusy_answers %5$d%nRESULT %1$smax_held %6$d%n", result, makespanS, idealS, ratio, busyAnswers, maxHeld);
        return new Makespan(nodes, makespanS, idealS, failed, maxGpu, maxHeld, busyAnswers);
      }
    } finally {
      for (Sim s : sims) s.sim.close();
    }
  }

  // ================================================================================ 2. result latency

  private void latency() throws Exception {
    int seconds = knob("BENCH_LAT_DURATION", 240);
    int n = knob("BENCH_LAT_TASKS", 5);
    int warmup = knob("BENCH_LAT_WARMUP", 2);
    int serviceMs = knob("BENCH_LAT_SERVICE_MS", 300);
    int pollMs = knob("BENCH_POLL_MS", 100);
    int backToBack = knob("BENCH_LAT_BACK_TO_BACK", 3);
    List<String> formats = List.of(knob("BENCH_LAT_FORMATS", "mp3,wav").split(","));
    List<String> kinds = List.of(knob("BENCH_LAT_KINDS", "acestep-api,acestep-cpp").split(","));
    log("2. result latency: %d s results, %s, %d measured (+%d warm-up) per backend and format, poll %d ms", seconds, formats, n,
        warmup, pollMs);
    // Both simulators make 240 s as 11,520,000 frames (ace-server rounds to its 80 ms grid, which 240 s is on).
    long t0 = System.nanoTime();
    for (String f : formats) SimAudio.encoded(SimAudio.frames(seconds), OutputFormat.parse(f).orElseThrow(), 128);
    log("   simulator audio encoded in %.1f s (cached for the run)", (System.nanoTime() - t0) / 1e9);

    System.out.println();
    System.out.printf(Locale.ROOT, "2. result latency: backend's end of job -> task meta.ended_at, %d s 48 kHz stereo, median of %d"
        + " (after %d warm-up), poll interval %d ms%n", seconds, n, warmup, pollMs);
    System.out.println("   stages (medians; each from its own tasks, so they need not add up exactly):");
    System.out.println("     wait      = end of job -> GET /v1/audio arrives (acestep-api: the poll interval; acestep-cpp: none)");
    System.out.println("     transfer  = download of the audio, from the simulator's clock and the 'answered in' log line");
    System.out.println("     decode    = 'backend audio: ... decoded in' (the pool decodes every result to measure it)");
    System.out.println("     enc+store = 'encoded ... and stored in' (no encode when the backend already gave the asked format)");
    System.out.println("     rest      = total - the above: completion transaction, scheduling, clocks");
    for (String kind : kinds) {
      try (Watch watch = new Watch()) {
        Sim s = kind.equals("acestep-cpp") ? Sim.cpp("cpp1", watch) : Sim.api("api1", watch);
        try {
          s.sim.serviceTime(Duration.ofMillis(serviceMs));
          Map<String, String> env = new LinkedHashMap<>();
          env.put("REFRAIN_BACKEND_POLL_INTERVAL", pollMs + "ms");
          s.configure(env);
          try (ServerProc server = ServerProc.start(dir, "latency-" + kind, env)) {
            Client c = new Client(server.base, server.key);
            Cpu cpu0 = Cpu.now(server.process.pid());
            for (String f : formats) latencyOne(c, s, kind, f, seconds, n, warmup, backToBack);
            System.out.println("   " + kind + ": " + Cpu.report(cpu0, Cpu.now(server.process.pid())));
          }
        } finally {
          s.sim.close();
        }
      }
    }
  }

  private void latencyOne(Client c, Sim s, String kind, String format, int seconds, int n, int warmup, int backToBack)
      throws Exception {
    List<Long> total = new ArrayList<>();
    List<Long> wait = new ArrayList<>();
    List<Long> transfer = new ArrayList<>();
    List<Long> decode = new ArrayList<>();
    List<Long> store = new ArrayList<>();
    List<Long> rest = new ArrayList<>();
    long bytes = 0;
    String stored = "?";
    for (int i = 0; i < warmup + n; i++) {
      s.mark();
      String id = c.create(seconds, format);
      long deadline = deadlineIn(120);
      while (s.finishedSinceMark() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
      JsonNode t = c.awaitEnd(id, deadline);
      if (!t.path("status").asText().equals("completed")) {
        throw new IllegalStateException("latency task " + id + " ended " + t.path("status").asText() + ": "
            + t.path("error").path("message").asText() + " logs " + t.path("logs"));
      }
      if (i < warmup) continue;
      long end = s.ends().get(0);
      long ended = micros(t.path("meta").path("ended_at").asText());
      Stages st = Stages.of(t.path("logs"));
      long submitted = s.submits().get(0); // the job's POST reached the simulator
      long answeredAt = submitted + st.answeredMs * 1000;
      long w = 0;
      long tr;
      if (kind.equals("acestep-api")) {
        long dl = s.downloads().get(0);
        w = dl - end;
        tr = answeredAt - dl;
      } else {
        tr = answeredAt - end;
      }
      wait.add(w);
      transfer.add(tr);
      decode.add(st.decodeMs * 1000);
      store.add(st.storeMs * 1000);
      total.add(ended - end);
      rest.add(ended - end - w - tr - st.decodeMs * 1000 - st.storeMs * 1000);
      bytes = st.bytes;
      stored = st.storedAs;
    }
    double med = pct(total, 50) / 1000.0;
    System.out.printf(Locale.ROOT, "   %-11s %-4s %8.1f MB from the backend, stored as %-4s total p50 %7.1f ms (min %.1f, max %.1f)"
        + "  goal <= 1500 ms: %s%n", kind, format, bytes / 1e6, stored, med, pct(total, 0) / 1000.0, pct(total, 100) / 1000.0,
        verdict(med <= 1500));
    System.out.printf(Locale.ROOT, "   %-16s wait %s  transfer %s  decode %s  enc+store %s  rest %s%n", "", ms(pct(wait, 50)),
        ms(pct(transfer, 50)), ms(pct(decode, 50)), ms(pct(store, 50)), ms(pct(rest, 50)));
    System.out.printf(Locale.ROOT, "RESULT latency_%s_%s_median_ms %.1f%n", kind, format, med);

    if (backToBack > 1) {
      // The slot is held until the task is stored and completed: how long the GPU then sits idle.
      s.mark();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < backToBack; i++) ids.add(c.create(seconds, format));
      long deadline = deadlineIn(180);
      for (String id : ids) c.awaitEnd(id, deadline);
      List<Long> gaps = s.gaps();
      System.out.printf(Locale.ROOT, "   %-16s %d tasks queued at once: backend idle between jobs p50 %s (max %s)%n", "", backToBack,
          ms(pct(gaps, 50)), ms(pct(gaps, 100)));
    }
  }

  private static final Pattern ATTEMPT = Pattern.compile("^backend (\\S+) \\((\\S+)\\) takes attempt (\\d+) of");
  private static final Pattern ANSWERED = Pattern.compile("^backend \\S+ answered in (\\d+) ms \\((\\d+) bytes\\)");
  private static final Pattern DECODED = Pattern.compile("^backend audio: (\\w+), .* decoded in (\\d+) ms");
  private static final Pattern STORED = Pattern.compile("^encoded (\\w+) \\((\\d+) bytes\\) and stored in (\\d+) ms");

  /** What the task's logs say about its stages. */
  private record Stages(long answeredMs, long bytes, long decodeMs, long storeMs, String storedAs) {
    static Stages of(JsonNode logs) {
      long answered = -1;
      long bytes = 0;
      long decode = -1;
      long store = -1;
      String as = "?";
      for (JsonNode l : logs) {
        String s = l.asText();
        Matcher m;
        if ((m = ANSWERED.matcher(s)).find()) {
          answered = Long.parseLong(m.group(1));
          bytes = Long.parseLong(m.group(2));
        } else if ((m = DECODED.matcher(s)).find()) {
          decode = Long.parseLong(m.group(2));
        } else if ((m = STORED.matcher(s)).find()) {
          store = Long.parseLong(m.group(3));
          as = m.group(1);
        }
      }
      if (answered < 0 || decode < 0 || store < 0) throw new IllegalStateException("task logs lack the stage lines: " + logs);
      return new Stages(answered, bytes, decode, store, as);
    }
  }

  // ================================================================================ simulators

  /** One simulator, its settings for the server, and what the watcher saw of it. */
  private static final class Sim {
    final String name;
    final String kind;
    final BackendSimulator<?> sim;
    final Watch.Probe started;
    final Watch.Probe finished;
    final Watch.Probe downloads; // acestep-api: GET /v1/audio arrivals
    final Watch.Probe submits; // POST /release_task or /synth arrivals
    private int busyAtMark;

    private Sim(String name, String kind, BackendSimulator<?> sim, String submitPath, Watch watch) {
      this.name = name;
      this.kind = kind;
      this.sim = sim;
      this.started = watch.probe(sim::jobsStarted);
      this.finished = watch.probe(sim::jobsFinished);
      this.downloads = watch.probe(() -> sim.requests("/v1/audio"));
      this.submits = watch.probe(() -> sim.requests(submitPath));
    }

    static Sim cpp(String name, Watch w) {
      return new Sim(name, "acestep-cpp", AceServerSimulator.start(), "/synth", w);
    }

    static Sim api(String name, Watch w) {
      return new Sim(name, "acestep-api", AceStepApiSimulator.start(), "/release_task", w);
    }

    void configure(Map<String, String> env) {
      String p = "REFRAIN_BACKEND_" + name.toUpperCase(Locale.ROOT) + "_";
      env.put(p + "KIND", kind);
      env.put(p + "URL", sim.url());
      env.put(p + "SLOTS", "1");
    }

    /** Starts a new measurement: the lists below then hold only what came after. */
    void mark() {
      started.mark();
      finished.mark();
      downloads.mark();
      submits.mark();
      sim.resetPeaks();
      busyAtMark = sim.busyAnswers();
    }

    int finishedSinceMark() {
      return finished.times().size();
    }

    List<Long> ends() {
      return finished.times();
    }

    List<Long> downloads() {
      return downloads.times();
    }

    List<Long> submits() {
      return submits.times();
    }

    /** End of job i -> start of job i+1, in microseconds. */
    List<Long> gaps() {
      List<Long> s = started.times();
      List<Long> e = finished.times();
      List<Long> out = new ArrayList<>();
      for (int i = 0; i + 1 < s.size() && i < e.size(); i++) out.add(s.get(i + 1) - e.get(i));
      return out;
    }

    /** Start -> end of each job: the service time as the simulator actually spent it. */
    List<Long> services() {
      List<Long> s = started.times();
      List<Long> e = finished.times();
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < Math.min(s.size(), e.size()); i++) out.add(e.get(i) - s.get(i));
      return out;
    }

    /** acestep-api: end of job i -> its GET /v1/audio. */
    List<Long> pollWaits() {
      List<Long> e = finished.times();
      List<Long> d = downloads.times();
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < Math.min(e.size(), d.size()); i++) out.add(d.get(i) - e.get(i));
      return out;
    }

    /** The most jobs handed to the backend and unfinished at once since the mark (acestep-api: queued + running). */
    int maxHeld() {
      return sim.maxJobsHeld();
    }

    /** ace-server answers 503 to a /synth that finds the GPU taken; acestep-api 429s when its queue is full. */
    int busyAnswers() {
      return sim.busyAnswers() - busyAtMark;
    }
  }

  /**
   * Watches counters from a thread of its own every ~0.3 ms and timestamps each increment (wall
   * clock, microseconds, as the server's task timestamps): the simulators only count, so this is
   * how "the moment a job ended" is known to within a fraction of a millisecond.
   */
  private static final class Watch implements AutoCloseable {
    final class Probe {
      private final IntSupplier counter;
      private final List<Long> times = new ArrayList<>();
      private int last;

      Probe(IntSupplier counter) {
        this.counter = counter;
        this.last = counter.getAsInt();
      }

      synchronized void poll() {
        int v = counter.getAsInt();
        if (v > last) {
          long now = nowMicros();
          for (; last < v; last++) times.add(now);
        }
      }

      synchronized void mark() {
        poll();
        times.clear();
      }

      synchronized List<Long> times() {
        return List.copyOf(times);
      }
    }

    private final List<Probe> probes = new CopyOnWriteArrayList<>();
    private volatile boolean stop;
    private final Thread thread;

    Watch() {
      thread = Thread.ofPlatform().daemon().name("sim-watch").start(() -> {
        while (!stop) {
          for (Probe p : probes) p.poll();
          LockSupport.parkNanos(300_000);
        }
      });
    }

    Probe probe(IntSupplier counter) {
      Probe p = new Probe(counter);
      probes.add(p);
      return p;
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(1000);
    }
  }

  // ================================================================================ the server

  /** A Refrain server in its own JVM, configured only by what we pass (any REFRAIN_* of ours is dropped). */
  private static final class ServerProc implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("Refrain is serving on (http\\S+)");
    private static final Pattern KEY = Pattern.compile("^\\s+(rk_\\S+)\\s*$", Pattern.MULTILINE);

    final Process process;
    final String base;
    final String key;
    final Path log;

    private ServerProc(Process process, String base, String key, Path log) {
      this.process = process;
      this.base = base;
      this.key = key;
      this.log = log;
    }

    static ServerProc start(Path dir, String name, Map<String, String> settings) throws Exception {
      return start(dir, name, settings, true);
    }

    /** With {@code firstKey}, the server makes the first key of an empty store and this waits for it; without, {@link #key} is null. */
    static ServerProc start(Path dir, String name, Map<String, String> settings, boolean firstKey) throws Exception {
      Path home = dir.resolve(name);
      Files.createDirectories(home);
      Path props = home.resolve("bench.properties");
      Files.writeString(props, "");
      Path log = home.resolve("server.log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      for (String o : knob("REFRAIN_JAVA_OPTS", "-Xmx1g").split("\\s+")) if (!o.isEmpty()) cmd.add(o);
      cmd.add("--enable-native-access=ALL-UNNAMED");
      cmd.add("-cp");
      cmd.add(System.getProperty("bench.serverClasspath", "target/refrain.jar:target/lib/*"));
      cmd.add("dev.refrain.Main");
      cmd.add("serve");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("REFRAIN_"));
      env.put("REFRAIN_CONFIG", props.toString());
      env.put("REFRAIN_DATA_DIR", home.resolve("data").toString());
      env.put("REFRAIN_HOST", "127.0.0.1");
      env.put("REFRAIN_PORT", "0");
      env.put("REFRAIN_PRINT_FIRST_KEY", Boolean.toString(firstKey));
      env.put("REFRAIN_DEFAULT_MAX_CONCURRENT", "10000");
      env.put("REFRAIN_MAX_PENDING_PER_KEY", "1000000");
      env.putAll(settings);
      Files.writeString(home.resolve("env.txt"), String.join("\n", settings.entrySet().stream().map(Object::toString).toList()) + "\n");
      Process p = pb.start();
      Files.writeString(dir.resolve("server.pids"), p.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      long deadline = deadlineIn(60);
      while (System.nanoTime() < deadline) {
        String out = Files.exists(log) ? Files.readString(log) : "";
        Matcher s = SERVING.matcher(out);
        Matcher k = KEY.matcher(out);
        if (s.find() && (!firstKey || k.find())) {
          log("   server pid %d on %s, log %s", p.pid(), s.group(1), log);
          return new ServerProc(p, s.group(1).replace("localhost", "127.0.0.1"), firstKey ? k.group(1) : null, log);
        }
        if (!p.isAlive()) throw new IllegalStateException("the server exited:\n" + out);
        Thread.sleep(100);
      }
      p.destroyForcibly();
      throw new IllegalStateException("the server did not start within 60 s; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy(); // SIGTERM: its shutdown hook closes it
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * One server, or several on one store (the settings name the database): started in turn, so the
   * first makes the schema and the key every client uses.
   */
  private static final class Fleet implements AutoCloseable {
    private final List<ServerProc> servers = new ArrayList<>();

    static Fleet start(Path dir, String name, Map<String, String> settings, int nodes) throws Exception {
      Fleet f = new Fleet();
      try {
        for (int i = 0; i < nodes; i++) f.servers.add(ServerProc.start(dir, nodes == 1 ? name : name + "-" + (i + 1), settings, i == 0));
      } catch (Exception e) {
        f.close();
        throw e;
      }
      return f;
    }

    /** A client per node, all with the first node's key. */
    List<Client> clients() {
      String key = servers.get(0).key;
      return servers.stream().map(s -> new Client(s.base, key)).toList();
    }

    long[] pids() {
      return servers.stream().mapToLong(s -> s.process.pid()).toArray();
    }

    @Override
    public void close() throws InterruptedException {
      for (ServerProc s : servers) s.process.destroy(); // SIGTERM to all first: they stop side by side
      for (ServerProc s : servers) s.close();
    }
  }

  /** The PiAPI-style client: create a task, read it, wait for the key to go idle. */
  private static final class Client {
    private final String base;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    Client(String base, String key) {
      this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
      this.key = key;
    }

    private JsonNode call(HttpRequest.Builder b) throws IOException, InterruptedException {
      HttpResponse<String> r = http.send(b.header("x-api-key", key).timeout(Duration.ofSeconds(15)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
      return JSON.readTree(r.body());
    }

    String create(int seconds, String format) throws IOException, InterruptedException {
      String body = "{\"model\":\"" + MODEL + "\",\"task_type\":\"txt2audio\",\"input\":{\"style_prompt\":\"bench dispatch\","
          + "\"duration\":" + seconds + ",\"output_format\":\"" + format + "\"}}";
      JsonNode j = call(HttpRequest.newBuilder(URI.create(base + "/api/v1/task")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      return j.path("data").path("task_id").asText();
    }

    JsonNode get(String id) throws IOException, InterruptedException {
      return call(HttpRequest.newBuilder(URI.create(base + "/api/v1/task/" + id)).GET()).path("data");
    }

    JsonNode awaitEnd(String id, long deadlineNanos) throws IOException, InterruptedException {
      while (true) {
        JsonNode t = get(id);
        String s = t.path("status").asText();
        if (s.equals("completed") || s.equals("failed")) return t;
        if (System.nanoTime() > deadlineNanos) throw new IOException("task " + id + " still " + s + " at the deadline");
        Thread.sleep(20);
      }
    }

    /** Until the key has nothing pending or processing (or the deadline). */
    void awaitIdle(long deadlineNanos) throws IOException, InterruptedException {
      while (System.nanoTime() < deadlineNanos) {
        JsonNode f = call(HttpRequest.newBuilder(URI.create(base + "/account/active_tasks")).GET()).path("data").path(MODEL);
        if (f.path("pending_count").asLong() + f.path("processing_count").asLong() == 0) return;
        Thread.sleep(50);
      }
    }
  }

  // ================================================================================ helpers

  /** CPU seconds so far (from /proc, in clock ticks of 1/100 s): the server, this JVM, the whole machine. */
  private record Cpu(long nanos, int servers, double server, double self, double machine) {
    static Cpu now(long... serverPids) {
      double server = 0;
      for (long pid : serverPids) server += procCpu("/proc/" + pid + "/stat");
      return new Cpu(System.nanoTime(), serverPids.length, server, procCpu("/proc/self/stat"), machineCpu());
    }

    static String report(Cpu a, Cpu b) {
      double wall = (b.nanos - a.nanos) / 1e9;
      double server = (b.server - a.server) / wall;
      double self = (b.self - a.self) / wall;
      double other = (b.machine - a.machine) / wall - server - self;
      return String.format(Locale.ROOT, "CPU during the run (cores busy on average): %s %.2f, simulators + client (this JVM) %.2f,"
          + " rest of the machine %.2f of %d%s", a.servers == 1 ? "server" : a.servers + " servers", server, self, Math.max(0, other),
          Runtime.getRuntime().availableProcessors(), a.servers > 1 ? " (the rest includes PostgreSQL)"
          : other > 0.3 ? "  <- other work was running: figures are skewed" : "");
    }

    private static double procCpu(String path) {
      try {
        String st = Files.readString(Path.of(path));
        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime (fields 14, 15)
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    private static double machineCpu() {
      try {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(f[i]); // user nice system irq softirq steal
        return busy / 100.0;
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }
  }

  private static long deadlineIn(long seconds) {
    return System.nanoTime() + seconds * 1_000_000_000L;
  }

  private static long nowMicros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  private static long micros(String rfc3339) {
    Instant i = Instant.parse(rfc3339);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  /** Nearest-rank percentile (0 = min, 100 = max) of microsecond values; NaN when empty. */
  private static double pct(List<Long> values, double p) {
    if (values.isEmpty()) return Double.NaN;
    List<Long> s = new ArrayList<>(values);
    Collections.sort(s);
    int idx = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, idx)));
  }

  private static String ms(double micros) {
    return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  private static String verdict(boolean ok) {
    return ok ? "meets goal" : "MISSES goal";
  }

  private static void log(String fmt, Object... args) {
    System.err.printf(Locale.ROOT, "[bench %tT] " + fmt + "%n", prepend(java.time.LocalTime.now(), args));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] out = new Object[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
