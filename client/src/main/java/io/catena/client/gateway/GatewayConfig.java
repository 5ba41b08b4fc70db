package io.catena.client.gateway;

import io.catena.protocol.security.TransportSecurity;
import java.util.List;

/**
 * What the HTTP gateway needs: mgmtd and meta addresses (as for any client), where to listen, how
 * many tenants' clients it keeps open at once (least recently used ones are closed beyond), and the
 * wire: with a node certificate the gateway serves HTTPS and dials the daemons with mutual TLS;
 * plain text is loopback only.
 */
public record GatewayConfig(
    List<String> mgmtdEndpoints,
    String metaAddress,
    String host,
    int port,
    int maxTenants,
    TransportSecurity transport) {

  public GatewayConfig {
    mgmtdEndpoints = List.copyOf(mgmtdEndpoints);
    if (mgmtdEndpoints.isEmpty()) {
      throw new IllegalArgumentException("the gateway needs at least one mgmtd address");
    }
    if (metaAddress == null || metaAddress.isBlank()) {
      throw new IllegalArgumentException("the gateway needs a meta address");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (transport == null) {
      throw new IllegalArgumentException("the gateway needs a transport");
    }
    if (maxTenants < 1) {
      throw new IllegalArgumentException("max tenants must be at least 1");
    }
  }

  public static GatewayConfig of(List<String> mgmtd, String meta, String listen) {
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--listen must read HOST:PORT, got " + listen);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen must read HOST:PORT, got " + listen);
    }
    return new GatewayConfig(
        mgmtd, meta, listen.substring(0, colon), port, 64, TransportSecurity.plaintext());
  }
}
