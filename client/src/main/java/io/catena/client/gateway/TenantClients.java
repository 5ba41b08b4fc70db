package io.catena.client.gateway;

import io.catena.client.CatenaClient;
import io.catena.client.CatenaClientConfig;
import io.catena.client.kv.KvClient;
import io.catena.protocol.meta.TenantServiceGrpc;
import io.catena.protocol.meta.VerifyTokenRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A client per tenant token: each request's bearer token is checked with meta's VerifyToken (the
 * answer is trusted for {@link #VERIFY_TTL}, like meta's own cache, so a revoked token stops
 * working within that), then served by that token's {@link CatenaClient} and {@link KvClient},
 * opened on first use and closed when the least recently used beyond the limit.
 */
final class TenantClients implements AutoCloseable {

  static final Duration VERIFY_TTL = Duration.ofSeconds(5);

  /** A token's clients and when its verification runs out. */
  record Clients(CatenaClient client, KvClient kv, long tenantId, long verifiedUntilNanos) {}

  private final GatewayConfig config;
  private final ManagedChannel meta;
  private final TenantServiceGrpc.TenantServiceBlockingStub tenants;
  private final Map<String, Clients> byToken = new LinkedHashMap<>(16, 0.75f, true);

  TenantClients(GatewayConfig config) {
    this.config = config;
    this.meta =
        NettyChannelBuilder.forTarget(
                config.metaAddress(), config.transport().channelCredentials(config.metaAddress()))
            .build();
    this.tenants = TenantServiceGrpc.newBlockingStub(meta);
  }

  /** The clients of the request's token; 401 when it is missing or not valid. */
  Clients forAuthorization(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new HttpError(401, "UNAUTHENTICATED", "send 'Authorization: Bearer <tenant token>'");
    }
    String token = header.substring(7).trim();
    long now = System.nanoTime();
    synchronized (this) {
      Clients c = byToken.get(token);
      if (c != null && c.verifiedUntilNanos() - now > 0) {
        return c;
      }
    }
    long tenant = verify(token);
    synchronized (this) {
      Clients c = byToken.get(token);
      long until = now + VERIFY_TTL.toNanos();
      if (c != null) {
        c = new Clients(c.client(), c.kv(), tenant, until);
      } else {
        CatenaClient client =
            CatenaClient.connect(
                CatenaClientConfig.of(config.mgmtdEndpoints(), config.metaAddress(), token)
                    .withTransport(config.transport()));
        c = new Clients(client, KvClient.open(client), tenant, until);
      }
      byToken.put(token, c);
      evictBeyondLimit();
      return c;
    }
  }

  private long verify(String token) {
    try {
      return tenants
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .verifyToken(VerifyTokenRequest.newBuilder().setToken(token).build())
          .getTenantId();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED
          || e.getStatus().getCode() == Status.Code.NOT_FOUND
          || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
        synchronized (this) {
          Clients stale = byToken.remove(token);
          if (stale != null) {
            closeQuietly(stale);
          }
        }
        throw new HttpError(
            401, "UNAUTHENTICATED", "the token is not valid: " + e.getStatus().getDescription());
      }
      throw new HttpError(503, "UNAVAILABLE", "meta cannot verify the token now: " + e.getStatus());
    }
  }

  private void evictBeyondLimit() {
    Iterator<Map.Entry<String, Clients>> it = byToken.entrySet().iterator();
    while (byToken.size() > config.maxTenants() && it.hasNext()) {
      Clients oldest = it.next().getValue();
      it.remove();
      closeQuietly(oldest);
    }
  }

  private static void closeQuietly(Clients c) {
    try {
      c.kv().close();
    } finally {
      c.client().close();
    }
  }

  @Override
  public synchronized void close() {
    byToken.values().forEach(TenantClients::closeQuietly);
    byToken.clear();
    meta.shutdownNow();
  }
}
