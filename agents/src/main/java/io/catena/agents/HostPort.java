package io.catena.agents;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** host:port as given on a command line or in a spec; IPv6 literals in brackets. */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
  }

  public static HostPort parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("address is missing: expected HOST:PORT");
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not HOST:PORT: bad port", e);
    }
  }

  /** True for localhost, 127.0.0.0/8 and ::1: where plain (non-TLS) gRPC is allowed. */
  public boolean isLoopback() {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      // Only literals are resolved here: a name other than localhost counts as not loopback.
      if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
        return false;
      }
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
