package io.catena.mgmtd;

import io.catena.protocol.security.TransportSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The mgmtd process ({@code catena daemon mgmtd}): starts an instance, writes its bound port to the
 * port file when asked (agents and tests start it on port 0), and runs until SIGTERM, when it hands
 * its lease over at once.
 */
public final class MgmtdDaemon {
  private MgmtdDaemon() {}

  public static void run(MgmtdConfig config, Optional<Path> portFile, TransportSecurity transport)
      throws InterruptedException {
    MgmtdServer server = MgmtdServer.start(config, transport);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "mgmtd-shutdown"));
    portFile.ifPresent(path -> writeAtomically(path, Integer.toString(server.port())));
    System.out.println(
        "catena mgmtd "
            + config.id()
            + " listening on "
            + server.address()
            + " (kv "
            + config.kvUri()
            + ")");
    System.out.flush();
    stopped.await();
  }

  private static void writeAtomically(Path path, String content) {
    try {
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the port file " + path, e);
    }
  }
}
