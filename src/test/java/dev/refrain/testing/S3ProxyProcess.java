package dev.refrain.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * S3Proxy (filesystem storage in a temporary folder) in a child JVM of its own, with the
 * self-contained jar Maven copies to `target/s3proxy/` (its Jackson 3, Jetty and cloud SDKs would
 * clash with ours on the test classpath). The child exits when this JVM goes, however it goes.
 */
public final class S3ProxyProcess {
  private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");
  /** Held open for the child's lifetime: its end of this pipe closes when we die, and it exits. */
  private static OutputStream lifeline;

  private S3ProxyProcess() {}

  /** Starts S3Proxy with these credentials; returns its endpoint, `http://127.0.0.1:<port>`. */
  static String start(String identity, String credential) throws IOException, InterruptedException {
    if (!Files.isRegularFile(JAR)) throw new IllegalStateException(JAR + " is missing: run the tests through Maven, which copies it");
    Path dir = Files.createTempDirectory("refrain-s3proxy-");
    Files.createDirectories(dir.resolve("data"));
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      Path props = dir.resolve("s3proxy.conf");
      Files.writeString(props, String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + identity,
          "s3proxy.credential=" + credential,
          "jclouds.provider=filesystem-nio2",
          "jclouds.filesystem.basedir=" + dir.resolve("data")) + "\n");
      String java = ProcessHandle.current().info().command().orElse("java");
      String classes = Path.of(S3ProxyProcess.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
      ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", JAR.toAbsolutePath() + File.pathSeparator + classes,
          S3ProxyProcess.class.getName(), "--properties", props.toString()));
      pb.environment().put("LOG_LEVEL", "warn");
      pb.redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile());
      Process p = pb.start();
      if (awaitListening(p, port)) {
        lifeline = p.getOutputStream();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return "http://127.0.0.1:" + port;
      }
      p.destroyForcibly();
      if (attempt == 3) {
        throw new IllegalStateException("S3Proxy did not start: " + Files.readString(dir.resolve("s3proxy.log")));
      }
    }
  }

  private static boolean awaitListening(Process p, int port) throws InterruptedException {
    long end = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < end && p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The child: S3Proxy's own main, plus a watch on stdin that ends the JVM when the parent's pipe closes. */
  public static void main(String[] args) throws Exception {
    Thread.ofPlatform().daemon().start(() -> {
      try {
        while (System.in.read() >= 0) {
          // nothing is ever sent
        }
      } catch (IOException gone) {
        // the same as end of input
      }
      System.exit(0);
    });
    Class.forName("org.gaul.s3proxy.Main").getMethod("main", String[].class).invoke(null, (Object) args);
  }
}
