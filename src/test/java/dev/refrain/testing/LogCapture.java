package dev.refrain.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * What this JVM logs while open, at the levels the server's logback.xml lets through: a server
 * started in the test runs in the same JVM, so its log lines are caught here too.
 */
public final class LogCapture implements AutoCloseable {
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      events.add(event);
    }
  };
  private final List<Logger> debugged;

  private LogCapture(Class<?>... debug) {
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
    debugged = Arrays.stream(debug).map(c -> (Logger) LoggerFactory.getLogger(c)).toList();
    debugged.forEach(l -> l.setLevel(Level.DEBUG));
  }

  /** Catches what is logged from now on; the loggers of the {@code debug} classes log at DEBUG meanwhile. */
  public static LogCapture start(Class<?>... debug) {
    return new LogCapture(debug);
  }

  /** Each event at {@code level} or above as the text log shows it: level, logger, message and any stack trace. */
  public List<String> atLeast(Level level) {
    return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
        .toList();
  }

  /** Every event caught so far, in the same form. */
  public List<String> all() {
    return atLeast(Level.ALL);
  }

  @Override
  public void close() {
    debugged.forEach(l -> l.setLevel(null));
    root.detachAppender(appender);
    appender.stop();
  }
}
