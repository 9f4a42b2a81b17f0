package dev.refrain.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A file the jar carries (the document, the page's style): one missing is a broken build, so startup fails. */
final class ClasspathResource {
  private ClasspathResource() {}

  static byte[] read(String name) {
    try (InputStream in = ClasspathResource.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException(name + " is missing from the classpath");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
