package dev.refrain.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's CPU samples (jdk.ExecutionSample, plus jdk.NativeMethodSample for
 * threads in JNI such as SQLite) for bench/api/run --profile:
 * where the CPU goes by library (first known package counting from the leaf), the server's
 * own methods by inclusive share, and the hottest leaf methods.
 *
 * <pre>  JfrSummary FILE.jfr [TOP]</pre>
 */
public final class JfrSummary {
  /** Library buckets, checked from the leaf frame down; the first match names the sample. */
  private static final String[][] BUCKETS = {
    {"org.sqlite.", "SQLite JDBC (incl. native sqlite3)"},
    {"com.zaxxer.hikari.", "HikariCP pool"},
    {"com.fasterxml.jackson.", "Jackson JSON"},
    {"sun.security.", "JDK security (SHA-256, SecureRandom)"},
    {"java.security.", "JDK security (SHA-256, SecureRandom)"},
    {"ch.qos.logback.", "logging"},
    {"org.slf4j.", "logging"},
    {"java.time.format.", "java.time formatting"},
    {"jdk.internal.net.http.", "JDK HttpClient (webhooks)"},
    {"java.net.http.", "JDK HttpClient (webhooks)"},
    {"dev.refrain.", "dev.refrain (own code)"},
    {"io.javalin.", "Javalin"},
    {"org.eclipse.jetty.", "Jetty"},
    {"sun.nio.", "JDK NIO / sockets"},
    {"java.nio.", "JDK NIO / sockets"},
    {"java.util.concurrent.", "JDK concurrency (locks, executors)"},
    {"jdk.internal.vm.", "virtual thread scheduling"},
    {"java.lang.VirtualThread", "virtual thread scheduling"},
  };

  public static void main(String[] args) throws Exception {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Map<String, Integer> bucket = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> topOwn = new HashMap<>();
    Map<String, Integer> leaf = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int total = 0, nativeSamples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      String type = e.getEventType().getName();
      boolean isNative = type.equals("jdk.NativeMethodSample");
      if (!isNative && !type.equals("jdk.ExecutionSample")) continue;
      RecordedStackTrace st = e.getStackTrace();
      if (st == null) continue;
      List<RecordedFrame> frames = st.getFrames();
      if (frames.isEmpty()) continue;
      String threadName = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      if (isNative) {
        // Threads parked in native code (epoll, accept) are idle, not busy: keep only SQLite's JNI.
        boolean sqlite = frames.stream().limit(3).anyMatch(f -> name(f).startsWith("org.sqlite."));
        if (!sqlite) continue;
        nativeSamples++;
      }
      total++;
      threads.merge(threadGroup(threadName), 1, Integer::sum);
      leaf.merge(name(frames.get(0)), 1, Integer::sum);
      String b = "other: " + pkg(name(frames.get(0)));
      outer:
      for (RecordedFrame f : frames) {
        String n = name(f);
        for (String[] bk : BUCKETS) {
          if (n.startsWith(bk[0])) {
            b = bk[1];
            break outer;
          }
        }
      }
      bucket.merge(b, 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      boolean firstOwn = true;
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (!n.startsWith("dev.refrain.")) continue;
        if (firstOwn) {
          topOwn.merge(n, 1, Integer::sum);
          firstOwn = false;
        }
        if (seen.add(n)) inclusive.merge(n, 1, Integer::sum);
      }
    }
    System.out.printf(Locale.ROOT, "  %d CPU samples (%d of them in SQLite native code)%n", total, nativeSamples);
    print("by library (first known package from the leaf)", bucket, total, top);
    print("by thread", threads, total, 8);
    print("dev.refrain methods, inclusive (on the stack)", inclusive, total, top);
    print("dev.refrain method nearest the leaf", topOwn, total, top);
    print("leaf methods", leaf, total, top);
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static String pkg(String method) {
    String[] p = method.split("\\.");
    return p.length > 3 ? p[0] + "." + p[1] + "." + p[2] : method;
  }

  private static String threadGroup(String name) {
    if (name == null || name.isEmpty()) return "(virtual threads)";
    return name.replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-N-");
  }

  private static void print(String title, Map<String, Integer> m, int total, int top) {
    System.out.println("  -- " + title);
    Map<String, Integer> sorted = new LinkedHashMap<>();
    m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(en -> sorted.put(en.getKey(), en.getValue()));
    sorted.forEach((k, v) -> System.out.printf(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * v / Math.max(1, total), k));
  }
}
