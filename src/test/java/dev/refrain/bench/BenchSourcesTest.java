package dev.refrain.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refrain.testing.RunsOnce;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks under bench/ are compiled only when someone runs them: here they are compiled
 * against the code as it is, so a change that breaks one is found by the suite, not by the next
 * person who measures.
 */
@RunsOnce
class BenchSourcesTest {
  @Test
  void everyBenchmarkCompilesAgainstTheCurrentCode(@TempDir Path out) throws IOException {
    List<String> sources;
    try (Stream<Path> files = Files.walk(Path.of("bench"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().toList();
    }
    assertThat(sources).as("benchmark sources").isNotEmpty();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("-proc:none", "-d", out.toString(), "-cp", System.getProperty("java.class.path")));
    args.addAll(sources);
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = javac.run(null, null, errors, args.toArray(String[]::new));
    assertThat(status).as("javac on bench/:%n%s", errors).isZero();
  }
}
