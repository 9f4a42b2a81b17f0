package dev.refrain;

/**
 * The server could not start. Its message is the one line an operator reads: what was being set up,
 * and why it failed, never a stack trace and never a secret.
 */
public final class StartException extends RuntimeException {
  public StartException(String message, Throwable cause) {
    super(message, cause);
  }

  /** What failed while setting up {@code what}, as one line; a missing class is named as such. */
  static StartException of(String what, Throwable cause) {
    return cause instanceof StartException s ? s : new StartException(what + ": " + reason(cause), cause);
  }

  /**
   * Why {@code e} happened, on one line. A class missing at run time is an incomplete installation,
   * whichever step found it, so it is said first.
   */
  public static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LinkageError || t instanceof ClassNotFoundException) {
        String name = String.valueOf(t.getMessage()).replace('/', '.');
        return "the installation is incomplete: class " + name + " is missing from the classpath ("
            + t.getClass().getSimpleName() + "); rebuild it (./mvnw package) or reinstall";
      }
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getClass().getSimpleName();
    }
    String line = message.strip().replaceAll("\\s*\\R\\s*", " ");
    return line.length() <= 600 ? line : line.substring(0, 600) + "…";
  }

  /** A database URL without the user, password or password parameter it may carry. */
  static String redact(String url) {
    return url.replaceAll("(?<=://)[^@/]*@", "").replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
