package io.catena.meta;

import io.catena.kv.KvEngine;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * One meta server's parts over a KvEngine: the namespace store, the tenant registry, the token
 * verifier, the chunk collector and the two gRPC services behind the authentication interceptor. It
 * does not own the engine.
 */
public final class MetaNode implements AutoCloseable {

  public static final Duration TOKEN_CACHE_TTL = Duration.ofSeconds(5);

  private final MetaStore store;
  private final TenantRegistry tenants;
  private final TokenVerifier verifier;
  private final ChunkCollector collector;
  private final KvIndexStore kvIndex;
  private final KvReaper kvReaper;
  private final RevocationFeed revocations;

  public MetaNode(KvEngine kv, ChainTableCatalog catalog, ChunkRemover remover) {
    this(kv, catalog, remover, InstantSource.system(), TOKEN_CACHE_TTL);
  }

  public MetaNode(
      KvEngine kv,
      ChainTableCatalog catalog,
      ChunkRemover remover,
      InstantSource clock,
      Duration tokenCacheTtl) {
    this(kv, catalog, remover, clock, tokenCacheTtl, KvIndexStore.Config.DEFAULT);
  }

  public MetaNode(
      KvEngine kv,
      ChainTableCatalog catalog,
      ChunkRemover remover,
      InstantSource clock,
      Duration tokenCacheTtl,
      KvIndexStore.Config kvConfig) {
    this.collector = new ChunkCollector(kv, remover);
    this.store = new MetaStore(kv, catalog, collector, clock);
    this.tenants = new TenantRegistry(kv, store, clock);
    this.verifier = new TokenVerifier(tenants, tokenCacheTtl);
    this.kvIndex = new KvIndexStore(kv, store, clock, kvConfig);
    this.kvReaper = new KvReaper(kvIndex);
    this.revocations = new RevocationFeed(kv, RevocationFeed.POLL);
    revocations.addListener(verifier::forget);
  }

  /** The revocation log as a push stream (storage daemons subscribe to it). */
  public RevocationFeed revocations() {
    return revocations;
  }

  public MetaStore store() {
    return store;
  }

  public TenantRegistry tenants() {
    return tenants;
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  public ChunkCollector collector() {
    return collector;
  }

  public KvIndexStore kvIndex() {
    return kvIndex;
  }

  /** Reclaims reservations of expired KV sessions and keys past their TTL once started. */
  public KvReaper kvReaper() {
    return kvReaper;
  }

  /** The services to add to a gRPC server, each behind the token check. */
  public List<ServerServiceDefinition> services() {
    AuthInterceptor auth = new AuthInterceptor(verifier);
    BindableService meta = new MetaService(store);
    BindableService tenant = new TenantService(tenants, verifier, revocations);
    BindableService index = new KvIndexService(kvIndex);
    return List.of(
        ServerInterceptors.intercept(meta, auth),
        ServerInterceptors.intercept(tenant, auth),
        ServerInterceptors.intercept(index, auth));
  }

  @Override
  public void close() {
    revocations.close();
    kvReaper.close();
    collector.close();
  }
}
