package io.catena.client.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.catena.client.CatenaException;
import io.catena.protocol.security.TransportSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway (docs/gateway.md, docs/openapi.yaml): Catena's KV and file APIs for engines that
 * speak HTTP, such as SGLang HiCache or a KVCache manager without RDMA or FUSE. JSON for control,
 * raw bytes for data (never base64); every request carries {@code Authorization: Bearer <tenant
 * token>}. The JDK's HTTP server with one virtual thread per exchange: handlers block on the client
 * library, which is what virtual threads are for.
 */
public final class HttpGateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpGateway.class);

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final TenantClients tenants;

  private HttpGateway(HttpServer server, ExecutorService executor, TenantClients tenants) {
    this.server = server;
    this.executor = executor;
    this.tenants = tenants;
  }

  public static HttpGateway start(GatewayConfig config) throws IOException {
    TenantClients tenants = new TenantClients(config);
    InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
    HttpServer server;
    if (config.transport() instanceof TransportSecurity.Tls tls) {
      // HTTPS with the node's certificate: tokens and values never cross the network in clear.
      HttpsServer https = HttpsServer.create(address, 1024);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
      server = https;
    } else {
      if (!io.catena.protocol.security.Loopback.is(config.host())) {
        throw new IllegalArgumentException(
            "plain HTTP is allowed on loopback only, not on "
                + config.host()
                + ": give the node's TLS files (--tls-dir)");
      }
      server = HttpServer.create(address, 1024);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    KvEndpoints kv = new KvEndpoints();
    FileEndpoints fs = new FileEndpoints();
    server.createContext(
        "/v1/kv/", ex -> handle(ex, () -> kv.handle(ex, tenants.forAuthorization(auth(ex)))));
    server.createContext(
        "/v1/fs/", ex -> handle(ex, () -> fs.handle(ex, tenants.forAuthorization(auth(ex)))));
    server.createContext(
        "/healthz", ex -> handle(ex, () -> sendJson(ex, 200, Map.of("status", "ok"))));
    server.start();
    return new HttpGateway(server, executor, tenants);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
    tenants.close();
  }

  private static String auth(HttpExchange ex) {
    return ex.getRequestHeaders().getFirst("Authorization");
  }

  @FunctionalInterface
  interface Body {
    void run() throws IOException;
  }

  private static void handle(HttpExchange ex, Body body) {
    try (ex) {
      try {
        body.run();
      } catch (HttpError e) {
        sendError(ex, e.status, e.code, e.getMessage());
      } catch (CatenaException e) {
        sendError(ex, status(e), e.code().name(), e.getMessage());
      } catch (IllegalArgumentException e) {
        sendError(ex, 400, "INVALID_ARGUMENT", e.getMessage());
      } catch (IOException e) {
        log.debug(
            "gateway exchange {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e);
      } catch (RuntimeException e) {
        log.warn("gateway request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        sendError(ex, 500, "INTERNAL", String.valueOf(e));
      }
    }
  }

  static int status(CatenaException e) {
    return switch (e.code()) {
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, NOT_EMPTY, NOT_DIRECTORY, IS_DIRECTORY, STALE_LAYOUT -> 409;
      case PERMISSION_DENIED -> 403;
      case UNAUTHENTICATED -> 401;
      case QUOTA_EXCEEDED -> 507;
      case INVALID_ARGUMENT, BAD_HANDLE -> 400;
      case CHECKSUM_MISMATCH -> 502;
      case UNAVAILABLE, BUSY -> 503;
      default -> 500;
    };
  }

  private static void sendError(HttpExchange ex, int status, String code, String message) {
    if (ex.getResponseCode() != -1) {
      return; // headers already went; the client sees a short body
    }
    try {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", code);
      body.put("message", message);
      sendJson(ex, status, body);
    } catch (IOException e) {
      log.debug("could not send error {}: {}", status, e.toString());
    }
  }

  static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void sendEmpty(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, -1);
  }

  /** The percent-decoded rest of the path after {@code prefix} ('+' stays '+'). */
  static String rest(HttpExchange ex, String prefix) {
    String raw = ex.getRequestURI().getRawPath();
    return decode(raw.substring(Math.min(raw.length(), prefix.length())));
  }

  static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The query's parameters, percent-decoded; a bare name maps to "". */
  static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String q = ex.getRequestURI().getRawQuery();
    if (q == null || q.isEmpty()) {
      return out;
    }
    for (String part : q.split("&")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        out.put(decode(part), "");
      } else {
        out.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
      }
    }
    return out;
  }

  static long longParam(Map<String, String> query, String name, long otherwise) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(name + " must be an integer, got " + v);
    }
  }

  /** Reads the request body: exactly Content-Length bytes, or up to {@code max} when chunked. */
  static byte[] body(HttpExchange ex, long max) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    try (InputStream in = ex.getRequestBody()) {
      if (length != null) {
        long n = Long.parseLong(length.trim());
        if (n > max) {
          throw new HttpError(413, "TOO_LARGE", "body of " + n + " bytes is over " + max);
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length != n) {
          throw HttpError.badRequest("body ended after " + b.length + " of " + n + " bytes");
        }
        return b;
      }
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (b.length > max) {
        throw new HttpError(413, "TOO_LARGE", "body is over " + max + " bytes");
      }
      return b;
    }
  }
}
