package dev.refrain.cli;

import dev.refrain.core.OutputFormat;
import dev.refrain.core.TaskType;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Options that take one of a few words: each checks its value and lists the words in help and errors. */
abstract class Choices implements ITypeConverter<String>, Iterable<String> {
  private final String[] words;
  private final Function<String, Optional<String>> parse;

  private Choices(String[] words, Function<String, Optional<String>> parse) {
    this.words = words;
    this.parse = parse;
  }

  @Override
  public String convert(String value) {
    return parse.apply(value.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
        new TypeConversionException("must be one of " + String.join(", ", words) + " (got '" + value + "')"));
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.asList(words).iterator();
  }

  /** {@code txt2audio}, {@code audio2audio}, {@code edit}, {@code extend}. */
  static final class TaskTypes extends Choices {
    TaskTypes() {
      super(Arrays.stream(TaskType.values()).map(TaskType::wire).toArray(String[]::new), s -> TaskType.fromWire(s).map(TaskType::wire));
    }
  }

  /** {@code mp3}, {@code wav}, {@code flac}. */
  static final class Formats extends Choices {
    Formats() {
      super(Arrays.stream(OutputFormat.values()).map(OutputFormat::extension).toArray(String[]::new), s -> OutputFormat.parse(s).map(OutputFormat::extension));
    }
  }
}
