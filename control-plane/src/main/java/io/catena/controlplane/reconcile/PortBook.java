package io.catena.controlplane.reconcile;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;

/**
 * The port each daemon serves on, fixed once chosen so that a restarted daemon is found where it
 * was (storage nodes and clients know mgmtd and meta by address). Nodes on a loopback address share
 * one machine, so their daemons get free ports picked here and remembered in {@code
 * ports.properties}; other nodes use the well-known port of the daemon's kind.
 */
public final class PortBook {

  /** Well-known ports for nodes that have a machine of their own. */
  public static final Map<String, Integer> WELL_KNOWN =
      Map.of("mgmtd", 8000, "meta", 7100, "storage", 9000, "gateway", 8080);

  private final Path file;
  private final Properties ports = new Properties();

  /** Ports remembered in {@code file}, or in memory only when it is null. */
  public PortBook(Path file) {
    this.file = file;
    if (file != null && Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        ports.load(r);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** The port of daemon {@code daemon} (named after its kind) on {@code node}. */
  public synchronized int port(String node, String address, String daemon) {
    String key = node + "." + daemon;
    String known = ports.getProperty(key);
    if (known != null) {
      return Integer.parseInt(known);
    }
    int port = isLoopback(address) ? freePort(address) : WELL_KNOWN.getOrDefault(daemon, 9100);
    ports.setProperty(key, Integer.toString(port));
    save();
    return port;
  }

  static boolean isLoopback(String address) {
    return address.equals("localhost") || address.startsWith("127.") || address.equals("::1");
  }

  private static int freePort(String address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + address, e);
    }
  }

  private void save() {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp)) {
        ports.store(w, "ports of this cluster's daemons, by node.daemon");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
