package io.catena.console;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;

/** Channels to a control plane: embedded (same JVM) or remote (HOST:PORT). */
public final class ConsoleConnection {

  private ConsoleConnection() {}

  /** A control plane served in this JVM under {@code serverName} (in-process transport). */
  public static ManagedChannel embedded(String serverName) {
    return InProcessChannelBuilder.forName(serverName).directExecutor().build();
  }

  /** A control plane listening on {@code hostPort} in plain text (loopback clusters). */
  public static ManagedChannel remote(String hostPort) {
    return remote(hostPort, InsecureChannelCredentials.create());
  }

  /** A control plane listening on {@code hostPort}, reached with {@code credentials} (TLS). */
  public static ManagedChannel remote(String hostPort, io.grpc.ChannelCredentials credentials) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException(
          "--control-plane must be HOST:PORT, got '" + hostPort + "'");
    }
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--control-plane port must be 1..65535, got '" + hostPort + "'", e);
    }
    return Grpc.newChannelBuilder(hostPort, credentials).build();
  }
}
