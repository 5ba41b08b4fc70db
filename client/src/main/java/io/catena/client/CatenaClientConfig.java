package io.catena.client;

import io.catena.protocol.routing.HostPort;
import io.catena.protocol.security.TransportSecurity;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What a client needs: where mgmtd is (names are re-resolved on reconnect), where meta is, and the
 * tenant token; plus how long an I/O may keep retrying and how often routing is re-fetched.
 *
 * @param mgmtdEndpoints {@code host:port} of each mgmtd instance (or one DNS name for all)
 * @param metaAddress {@code host:port} of a meta server
 * @param token the tenant token ({@code ctn1.…}); sent to meta and with every storage I/O
 * @param ioRetryBudget how long one I/O keeps retrying retryable failures before it fails with
 *     UNAVAILABLE; must exceed mgmtd's failure-detection period (heartbeat timeout) so a dead node
 *     costs a stall, not an error
 * @param routingRefreshInterval how often routing is re-fetched besides the watch stream
 * @param callTimeout deadline of one RPC attempt
 * @param clientId names this client in write request ids (exactly-once across retries); each client
 *     connected with this configuration adds a random suffix of its own, so clients built from one
 *     configuration never share request ids
 * @param transport TLS trusting the cluster CA ({@link TransportSecurity#trusting}), or plain text
 *     on loopback
 */
public record CatenaClientConfig(
    List<String> mgmtdEndpoints,
    String metaAddress,
    String token,
    Duration ioRetryBudget,
    Duration routingRefreshInterval,
    Duration callTimeout,
    String clientId,
    TransportSecurity transport) {

  public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(120);
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

  public CatenaClientConfig {
    mgmtdEndpoints = List.copyOf(mgmtdEndpoints);
    if (mgmtdEndpoints.isEmpty()) {
      throw new IllegalArgumentException("the client needs at least one mgmtd address");
    }
    mgmtdEndpoints.forEach(HostPort::parse);
    HostPort.parse(metaAddress);
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the client needs a tenant token");
    }
    if (ioRetryBudget.isNegative()
        || routingRefreshInterval.isNegative()
        || routingRefreshInterval.isZero()
        || callTimeout.isNegative()
        || callTimeout.isZero()) {
      throw new IllegalArgumentException("durations must be positive");
    }
    if (transport == null) {
      throw new IllegalArgumentException("the client needs a transport (TLS or loopback text)");
    }
    if (clientId == null || clientId.isBlank() || clientId.contains("#")) {
      throw new IllegalArgumentException("client id must be non-empty and free of '#'");
    }
  }

  /** Defaults for everything but the addresses and the token. */
  public static CatenaClientConfig of(
      List<String> mgmtdEndpoints, String metaAddress, String token) {
    return new CatenaClientConfig(
        mgmtdEndpoints,
        metaAddress,
        token,
        DEFAULT_RETRY_BUDGET,
        DEFAULT_REFRESH,
        DEFAULT_CALL_TIMEOUT,
        "client-" + UUID.randomUUID(),
        TransportSecurity.plaintext());
  }

  /**
   * The same, over {@code wire}: {@link TransportSecurity#trusting} the cluster CA off loopback.
   */
  public CatenaClientConfig withTransport(TransportSecurity wire) {
    return new CatenaClientConfig(
        mgmtdEndpoints,
        metaAddress,
        token,
        ioRetryBudget,
        routingRefreshInterval,
        callTimeout,
        clientId,
        wire);
  }

  public CatenaClientConfig withIoRetryBudget(Duration budget) {
    return new CatenaClientConfig(
        mgmtdEndpoints,
        metaAddress,
        token,
        budget,
        routingRefreshInterval,
        callTimeout,
        clientId,
        transport);
  }

  public CatenaClientConfig withRoutingRefreshInterval(Duration interval) {
    return new CatenaClientConfig(
        mgmtdEndpoints,
        metaAddress,
        token,
        ioRetryBudget,
        interval,
        callTimeout,
        clientId,
        transport);
  }

  public CatenaClientConfig withCallTimeout(Duration timeout) {
    return new CatenaClientConfig(
        mgmtdEndpoints,
        metaAddress,
        token,
        ioRetryBudget,
        routingRefreshInterval,
        timeout,
        clientId,
        transport);
  }

  public CatenaClientConfig withToken(String newToken) {
    return new CatenaClientConfig(
        mgmtdEndpoints,
        metaAddress,
        newToken,
        ioRetryBudget,
        routingRefreshInterval,
        callTimeout,
        clientId,
        transport);
  }

  @Override
  public String toString() {
    return "CatenaClientConfig[mgmtd="
        + mgmtdEndpoints
        + ", meta="
        + metaAddress
        + ", token=<hidden>, ioRetryBudget="
        + ioRetryBudget
        + ", routingRefreshInterval="
        + routingRefreshInterval
        + ", callTimeout="
        + callTimeout
        + ", clientId="
        + clientId
        + ", transport="
        + transport
        + "]";
  }
}
