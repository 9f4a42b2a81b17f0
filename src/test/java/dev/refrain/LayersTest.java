package dev.refrain;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.refrain.testing.RunsOnce;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages as layers, as ARCHITECTURE.md draws them: a package may use those on lower rows
 * and never one on its own row or above, so no import points back up and no two packages need
 * each other. Read from the compiled classes, so every use counts, not only imports.
 */
@RunsOnce
class LayersTest {
  /** Bottom row first; the root package (Main, Server) sits on top of them all. */
  static final List<List<String>> LAYERS = List.of(
      List.of("core"),
      List.of("audio", "config"),
      List.of("store", "client"),
      List.of("auth", "billing", "storage", "tls"),
      List.of("metrics", "fetch"),
      List.of("webhook", "engine"),
      List.of("engine.backend", "engine.preview", "task"),
      List.of("dispatch", "docs"),
      List.of("api"),
      List.of("mcp"),
      List.of("cli"));

  static JavaClasses classes;

  @BeforeAll
  static void read() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.refrain");
  }

  @Test
  void noPackageUsesOneOnItsOwnRowOrAbove() {
    TreeSet<String> upward = new TreeSet<>();
    for (JavaClass c : classes) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String from = layerPackage(c);
        String to = layerPackage(d.getTargetClass());
        if (to == null || from.equals(to)) continue;
        if (row(to) >= row(from)) {
          upward.add(from + " -> " + to + " (" + c.getSimpleName() + " uses " + d.getTargetClass().getSimpleName() + ")");
        }
      }
    }
    assertThat(upward).as("uses that point sideways or up").isEmpty();
  }

  @Test
  void everyPackageHasARow() {
    TreeSet<String> unplaced = new TreeSet<>();
    for (JavaClass c : classes) {
      String p = layerPackage(c);
      if (p != null && !p.isEmpty() && row(p) < 0) unplaced.add(p);
    }
    assertThat(unplaced).as("packages ARCHITECTURE.md does not place").isEmpty();
  }

  /** The package a class counts in: the longest listed one it is in; "" for the root; null outside Refrain. */
  private static String layerPackage(JavaClass c) {
    String name = c.getPackageName();
    if (name.equals("dev.refrain")) return "";
    if (!name.startsWith("dev.refrain.")) return null;
    String p = name.substring("dev.refrain.".length());
    String best = p; // unlisted: counted as itself, and reported by everyPackageHasARow
    for (List<String> row : LAYERS) {
      for (String listed : row) {
        boolean in = p.equals(listed) || p.startsWith(listed + ".");
        if (in && (row(best) < 0 || listed.length() > best.length())) best = listed;
      }
    }
    return best;
  }

  /** The row of a package, the root's above every other; -1 when none. */
  private static int row(String p) {
    if (p.isEmpty()) return LAYERS.size();
    for (int i = 0; i < LAYERS.size(); i++) if (LAYERS.get(i).contains(p)) return i;
    return -1;
  }
}
