package dev.refrain.cli;

/** A command that could not do its job: its message goes to stderr, its exit code to the shell. */
final class CliError extends RuntimeException {
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int TIMEOUT = 3;
  static final int SERVER = 4;

  final int exitCode;

  private CliError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The task failed or has no result. */
  static CliError failed(String message) {
    return new CliError(FAILED, message);
  }

  /** The command line asks for something that can't be done, found out after parsing. */
  static CliError usage(String message) {
    return new CliError(USAGE, message);
  }

  static CliError timeout(String message) {
    return new CliError(TIMEOUT, message);
  }

  /** The server refused (with its message), or could not be reached. */
  static CliError server(String message) {
    return new CliError(SERVER, message);
  }
}
