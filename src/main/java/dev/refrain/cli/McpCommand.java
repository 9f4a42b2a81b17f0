package dev.refrain.cli;

import dev.refrain.mcp.McpStdio;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `refrain mcp`: an MCP server on stdio, until stdin ends. */
@Command(name = "mcp", description = "An MCP server on stdio whose tools call $REFRAIN_URL with $REFRAIN_API_KEY (or $PIAPI_API_KEY).")
final class McpCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public Integer call() throws InterruptedException {
    McpStdio.run(System.getenv());
    return 0;
  }
}
