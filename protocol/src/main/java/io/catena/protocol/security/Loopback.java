package io.catena.protocol.security;

/** Whether a host (or a gRPC target naming one or more hosts) is on this machine's loopback. */
public final class Loopback {

  private Loopback() {}

  /**
   * True for {@code localhost}, {@code 127.x.y.z}, {@code ::1}, with or without a port, a {@code
   * dns:///} prefix or several comma-separated endpoints (all must be loopback).
   */
  public static boolean is(String target) {
    if (target == null || target.isBlank()) {
      return false;
    }
    String t = target.strip();
    for (String prefix : new String[] {"dns:///", "static:///", "ipv4:", "ipv6:"}) {
      if (t.startsWith(prefix)) {
        t = t.substring(prefix.length());
      }
    }
    for (String part : t.split(",")) {
      if (!isHost(host(part.strip()))) {
        return false;
      }
    }
    return true;
  }

  private static String host(String endpoint) {
    if (endpoint.startsWith("[")) {
      int close = endpoint.indexOf(']');
      return close < 0 ? endpoint : endpoint.substring(1, close);
    }
    int colon = endpoint.indexOf(':');
    if (colon >= 0 && endpoint.indexOf(':', colon + 1) < 0) {
      return endpoint.substring(0, colon);
    }
    return endpoint;
  }

  private static boolean isHost(String host) {
    return host.equals("localhost")
        || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1")
        || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
