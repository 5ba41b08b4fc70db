package io.catena.bench.kv;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} process started for one benchmark run: bound to 127.0.0.1 on a free port
 * (redis-server has no {@code --port 0}, so a port the OS just handed out is tried, and another if
 * it was taken meanwhile), its files in a directory of the caller, stopped by {@link #close()}.
 */
public final class RedisServer implements AutoCloseable {

  /** Persistence of the server: none (a cache), or an append-only file fsynced every second. */
  public enum Durability {
    MEMORY,
    AOF_EVERYSEC;

    List<String> args() {
      return switch (this) {
        case MEMORY -> List.of("--save", "", "--appendonly", "no");
        case AOF_EVERYSEC ->
            List.of("--save", "", "--appendonly", "yes", "--appendfsync", "everysec");
      };
    }
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;

  private RedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** {@code redis-server} on the PATH, else /usr/bin/redis-server; empty when neither exists. */
  public static Optional<Path> findExecutable() {
    String path = System.getenv("PATH");
    List<Path> candidates = new ArrayList<>();
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "redis-server"));
        }
      }
    }
    candidates.add(Path.of("/usr/bin/redis-server"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** Starts a server with its working files under {@code dir} and waits until it answers PING. */
  public static RedisServer start(Path executable, Path dir, Durability durability)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      List<String> argv = new ArrayList<>();
      argv.add(executable.toString());
      argv.addAll(
          List.of(
              "--port",
              Integer.toString(port),
              "--bind",
              "127.0.0.1",
              "--dir",
              dir.toString(),
              "--daemonize",
              "no",
              "--protected-mode",
              "no",
              "--logfile",
              ""));
      argv.addAll(durability.args());
      Path log = dir.resolve("redis-" + port + ".log");
      Process p =
          new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      RedisServer server = new RedisServer(p, port);
      if (server.awaitPing()) {
        return server;
      }
      server.close();
      last = new IOException("redis-server did not start on port " + port + ": " + tail(log));
    }
    throw last;
  }

  public int port() {
    return port;
  }

  /** The server process (for callers that check it is gone after {@link #close()}). */
  public ProcessHandle process() {
    return process.toHandle();
  }

  public String host() {
    return "127.0.0.1";
  }

  private boolean awaitPing() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Jedis j = new Jedis(host(), port, 2000)) {
        if ("PONG".equals(j.ping())) {
          return true;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
