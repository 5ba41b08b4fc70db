package io.catena.agents;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A stand-in for a Catena daemon, run by the agent as a real child process: serves GET /health on
 * 127.0.0.1 (any port) and writes that port to a file; optionally prints a tick line periodically
 * and exits with a code after a delay. JDK classes only, so it starts fast on a small heap.
 *
 * <p>Arguments: {@code --port-file F [--tick-millis N] [--exit-after-millis N] [--exit-code C]
 * [--ignore-sigterm]}
 */
public final class FakeDaemon {

  public static void main(String[] args) throws Exception {
    Path portFile = null;
    long tickMillis = 0;
    long exitAfter = -1;
    int exitCode = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port-file" -> portFile = Path.of(args[++i]);
        case "--tick-millis" -> tickMillis = Long.parseLong(args[++i]);
        case "--exit-after-millis" -> exitAfter = Long.parseLong(args[++i]);
        case "--exit-code" -> exitCode = Integer.parseInt(args[++i]);
        case "--ignore-sigterm" ->
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {});
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    http.createContext(
        "/health",
        exchange -> {
          byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
    if (portFile != null) {
      writePort(portFile, http.getAddress().getPort());
    }
    System.out.println(
        "fake daemon pid "
            + ProcessHandle.current().pid()
            + " serving on port "
            + http.getAddress().getPort()
            + " config="
            + System.getenv("FAKE_CONFIG"));
    System.out.flush();
    long started = System.nanoTime();
    long tick = 0;
    while (true) {
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      if (exitAfter >= 0 && elapsedMillis >= exitAfter) {
        System.out.println("fake daemon exiting with code " + exitCode);
        System.out.flush();
        Runtime.getRuntime().halt(exitCode);
      }
      if (tickMillis > 0) {
        System.out.println("tick " + tick++);
        System.out.flush();
        Thread.sleep(tickMillis);
      } else {
        Thread.sleep(exitAfter >= 0 ? Math.max(1, Math.min(50, exitAfter - elapsedMillis)) : 1000);
      }
    }
  }

  private static void writePort(Path file, int port) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(port));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
