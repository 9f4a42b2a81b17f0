import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * The build's guard against a server that passes its tests and then cannot start: every class the
 * tests really loaded that a shipped jar refers to must be on the shipped classpath.
 *
 * <p>The tests run on the test classpath, which has every test-scoped jar too; the server runs on
 * target/refrain.jar and target/lib alone. A jar that main code needs only at run time, but that the
 * pom declares with test scope, is on the first and not the second (how the MCP SDK's JSON Schema
 * validator once went missing). So: jdeps lists what the shipped jars refer to that the shipped
 * classpath lacks (many optional references, never loaded), and the surefire JVMs' class-load logs
 * say what was really loaded. A class in both is a failure. Run at `package`, after the tests wrote
 * their logs; a build that ran no tests has nothing to check.
 *
 * <p>Usage: {@code java src/build/ShippedClasspath.java <target dir>}
 */
public final class ShippedClasspath {
  private static final String LOG_PREFIX = "classes-loaded-";
  private static final Pattern MISSING = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+not found\\s*$");
  private static final Pattern NEEDS_MODULE = Pattern.compile("Module (\\S+) not found, required by (\\S+)");

  public static void main(String[] args) throws IOException {
    long started = System.nanoTime();
    Path target = Path.of(args.length > 0 ? args[0] : "target");
    List<Path> logs;
    try (Stream<Path> files = Files.list(target)) {
      logs = files.filter(p -> p.getFileName().toString().startsWith(LOG_PREFIX) && p.toString().endsWith(".log")).sorted().toList();
    }
    if (logs.isEmpty()) return; // no test ran in this build (./refrain serve builds with -DskipTests): nothing to check
    List<Path> shipped = new ArrayList<>();
    shipped.add(target.resolve("refrain.jar"));
    try (Stream<Path> jars = Files.list(target.resolve("lib"))) {
      jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(shipped::add);
    }

    Set<String> onShippedClasspath = new HashSet<>();
    for (Path jar : shipped) onShippedClasspath.addAll(classesIn(jar));
    Map<String, String> loadedElsewhere = new TreeMap<>(); // class -> where the tests loaded it from
    for (Path log : logs) {
      for (String line : Files.readAllLines(log)) {
        int at = line.indexOf(" source: ");
        if (at < 0) continue;
        String name = line.substring(0, at);
        String source = line.substring(at + " source: ".length());
        boolean fromFile = source.startsWith("jar:file:") || source.startsWith("file:");
        if (fromFile && !onShippedClasspath.contains(name)) loadedElsewhere.put(name, source);
      }
    }

    Map<String, Set<String>> referrers = missingReferences(target, shipped);
    List<String> failures = new ArrayList<>();
    loadedElsewhere.forEach((name, source) -> {
      Set<String> by = referrers.get(name);
      if (by != null) failures.add(name + " (the tests loaded it from " + source + "), needed by " + String.join(", ", by));
    });
    if (!failures.isEmpty()) {
      System.err.println("shipped classpath: classes the shipped jars need, that the tests loaded, are missing from target/lib:");
      failures.forEach(f -> System.err.println("  " + f));
      System.err.println("A jar the server needs at run time is declared with <scope>test</scope> (or excluded) in pom.xml:"
          + " give it runtime (or compile) scope. The server as shipped would fail where the tests passed.");
      System.exit(1);
    }
    System.out.printf("shipped classpath: %d jars; %d classes the tests loaded from outside them, none needed by them (%.1f s)%n",
        shipped.size(), loadedElsewhere.size(), (System.nanoTime() - started) / 1e9);
    // The evidence is this build's: the next build's tests write their own.
    for (Path log : logs) Files.delete(log);
  }

  /** Class names in a jar, versioned entries included (as their plain names). */
  private static Set<String> classesIn(Path jar) throws IOException {
    Set<String> names = new HashSet<>();
    try (FileSystem fs = FileSystems.newFileSystem(jar); Stream<Path> entries = Files.walk(fs.getPath("/"))) {
      entries.map(p -> p.toString().substring(1)).filter(e -> e.endsWith(".class") && !e.endsWith("module-info.class"))
          .map(e -> e.replaceFirst("^META-INF/versions/\\d+/", ""))
          .forEach(e -> names.add(e.substring(0, e.length() - ".class".length()).replace('/', '.')));
    }
    return names;
  }

  /**
   * What the shipped jars refer to that the shipped classpath lacks: class -> referring classes.
   * jdeps treats a modular jar whose `requires` are absent (JavaCV's optional OpenCV) as an error,
   * so such a jar is analysed as a plain jar: a copy without its module descriptor.
   */
  private static Map<String, Set<String>> missingReferences(Path target, List<Path> shipped) throws IOException {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("this JDK has no jdeps"));
    List<Path> roots = new ArrayList<>(shipped);
    String classpath = target.resolve("lib").toAbsolutePath() + "/*";
    for (int attempt = 0; ; attempt++) {
      List<String> args = new ArrayList<>(List.of("--multi-release", String.valueOf(Runtime.version().feature()),
          "-verbose:class", "--class-path", classpath));
      roots.forEach(r -> args.add(r.toString()));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
      String errors = err + out.toString();
      Matcher module = NEEDS_MODULE.matcher(errors);
      if (status != 0 && module.find() && attempt < 10) {
        String needy = module.group(2);
        int i = indexOfModule(roots, needy);
        if (i < 0) throw new IllegalStateException("jdeps: " + errors.strip());
        roots.set(i, withoutModuleDescriptor(roots.get(i), target.resolve("shipped-classpath")));
        continue;
      }
      if (status != 0) throw new IllegalStateException("jdeps failed: " + errors.strip());
      Map<String, Set<String>> missing = new TreeMap<>();
      for (String line : out.toString().split("\\R")) {
        Matcher m = MISSING.matcher(line);
        if (m.matches()) missing.computeIfAbsent(m.group(2), k -> new TreeSet<>()).add(m.group(1));
      }
      return missing;
    }
  }

  private static int indexOfModule(List<Path> jars, String module) {
    for (int i = 0; i < jars.size(); i++) {
      try {
        boolean named = ModuleFinder.of(jars.get(i)).findAll().stream()
            .anyMatch(m -> !m.descriptor().isAutomatic() && m.descriptor().name().equals(module));
        if (named) return i;
      } catch (FindException notAModule) {
        // a plain jar whose file name makes no module name: not the one
      }
    }
    return -1;
  }

  private static Path withoutModuleDescriptor(Path jar, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path copy = dir.resolve(jar.getFileName());
    Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + copy.toUri()), Map.of());
        Stream<Path> entries = Files.walk(fs.getPath("/"))) {
      entries.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("module-info.class")).toList().forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return copy;
  }
}
