package io.catena.installer.hosts;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A tiny TCP listener for the hosts tests: {@code TcpHello HOST PORT SECONDS MESSAGE} binds
 * HOST:PORT, prints {@code listening} once bound, answers each connection with MESSAGE and a
 * newline, and exits after SECONDS whatever happens.
 */
public final class TcpHello {

  private TcpHello() {}

  public static void main(String[] args) throws IOException {
    long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    byte[] message = (args[3] + "\n").getBytes(StandardCharsets.UTF_8);
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
      System.out.println("listening");
      System.out.flush();
      server.setSoTimeout(200);
      while (System.nanoTime() < deadline) {
        try (Socket s = server.accept()) {
          OutputStream out = s.getOutputStream();
          out.write(message);
          out.flush();
        } catch (SocketTimeoutException e) {
          // check the deadline
        }
      }
    }
  }
}
