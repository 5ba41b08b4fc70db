package io.catena.agents;

import io.catena.protocol.agent.HealthProbe;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs a daemon's health probe: HTTP GET answering 2xx, or a TCP connect. */
final class HealthProber {

  /** Healthy, unhealthy (with why), or unknown (no probe, or not running). */
  enum Health {
    UNKNOWN,
    HEALTHY,
    UNHEALTHY
  }

  record Result(Health health, String detail) {
    static final Result NO_PROBE = new Result(Health.UNKNOWN, "no health probe configured");
    static final Result NOT_RUNNING = new Result(Health.UNKNOWN, "not running");
  }

  private static final int DEFAULT_TIMEOUT_MILLIS = 1000;

  private HealthProber() {}

  static Result probe(HealthProbe probe, Path daemonDir) {
    int timeout = probe.getTimeoutMillis() > 0 ? probe.getTimeoutMillis() : DEFAULT_TIMEOUT_MILLIS;
    try {
      return switch (probe.getTargetCase()) {
        case HTTP_URL -> http(probe.getHttpUrl(), timeout);
        case TCP_ADDRESS -> tcp(HostPort.parse(probe.getTcpAddress()), timeout);
        case PORT_FILE -> {
          Path file = daemonDir.resolve(probe.getPortFile().getPath());
          if (!Files.exists(file)) {
            yield new Result(Health.UNHEALTHY, "port file " + file + " not written yet");
          }
          int port = Integer.parseInt(Files.readString(file).strip());
          String path = probe.getPortFile().getHttpPath();
          yield path.isEmpty()
              ? tcp(new HostPort("127.0.0.1", port), timeout)
              : http(
                  "http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path), timeout);
        }
        case TARGET_NOT_SET -> Result.NO_PROBE;
      };
    } catch (IOException | RuntimeException e) {
      return new Result(Health.UNHEALTHY, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static Result http(String url, int timeoutMillis) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setConnectTimeout(timeoutMillis);
    connection.setReadTimeout(timeoutMillis);
    try {
      int code = connection.getResponseCode();
      try (InputStream body =
          code < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        if (body != null) {
          body.readNBytes(4096);
        }
      }
      return code >= 200 && code < 300
          ? new Result(Health.HEALTHY, "GET " + url + " -> " + code)
          : new Result(Health.UNHEALTHY, "GET " + url + " -> " + code);
    } finally {
      connection.disconnect();
    }
  }

  private static Result tcp(HostPort address, int timeoutMillis) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
      return new Result(Health.HEALTHY, "TCP " + address + " open");
    }
  }
}
