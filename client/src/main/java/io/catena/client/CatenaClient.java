package io.catena.client;

import io.catena.client.file.CatenaFiles;
import io.catena.client.file.FileIo;
import io.catena.client.routing.RoutingCache;
import io.catena.client.storage.ChunkClient;
import io.catena.client.storage.ReplicaSelector;
import io.catena.client.storage.StorageChannels;
import io.catena.protocol.routing.AddressResolver;
import io.catena.protocol.routing.MgmtdClient;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: one per process (or per tenant token). It follows mgmtd's routing, talks to meta
 * for the namespace, and to storage daemons for data. Thread-safe; close it to release channels.
 *
 * <pre>{@code
 * try (CatenaClient client = CatenaClient.connect(
 *     CatenaClientConfig.of(List.of("mgmtd:8000"), "meta:7100", token))) {
 *   try (CatenaFile f = client.files().create("/kv/blocks-0")) {
 *     f.write(0, ByteBuffer.wrap(bytes));
 *   }
 * }
 * }</pre>
 */
public final class CatenaClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CatenaClient.class);

  private final CatenaClientConfig config;
  private final MgmtdClient mgmtd;
  private final RoutingCache routing;
  private final StorageChannels storage;
  private final ChunkClient chunks;
  private final ManagedChannel meta;
  private final FileIo io;
  private final CatenaFiles files;

  private CatenaClient(CatenaClientConfig config) {
    this.config = config;
    this.mgmtd =
        new MgmtdClient(
            config.mgmtdEndpoints(),
            AddressResolver.system(),
            config.callTimeout(),
            config.ioRetryBudget(),
            config.transport());
    this.routing = RoutingCache.start(mgmtd, config.routingRefreshInterval());
    this.storage = new StorageChannels(config.callTimeout(), config.transport());
    this.chunks =
        new ChunkClient(
            routing,
            storage,
            new ReplicaSelector(),
            config.token(),
            config.clientId(),
            config.ioRetryBudget(),
            config.callTimeout());
    this.meta =
        NettyChannelBuilder.forTarget(
                config.metaAddress(), config.transport().channelCredentials(config.metaAddress()))
            .build();
    this.io = new FileIo(chunks);
    this.files =
        new CatenaFiles(meta, config.token(), config.callTimeout(), config.ioRetryBudget(), io);
  }

  /**
   * Connects and waits (at most the call timeout) for the first routing info; I/O issued before it
   * arrives waits for it under the retry rules.
   */
  public static CatenaClient connect(CatenaClientConfig config) {
    CatenaClient client = new CatenaClient(config);
    try {
      if (!client.routing.awaitFirst(config.callTimeout())) {
        log.warn("no routing info from mgmtd at {} yet; I/O waits for it", config.mgmtdEndpoints());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return client;
  }

  public CatenaClientConfig config() {
    return config;
  }

  /** The namespace and open files. */
  public CatenaFiles files() {
    return files;
  }

  /** A new batch of asynchronous reads and writes. */
  public IoBatch newBatch() {
    return new IoBatch(io);
  }

  /** Chunk-level I/O (what the file API is built on). */
  public ChunkClient chunks() {
    return chunks;
  }

  /** The routing the client follows. */
  public RoutingCache routing() {
    return routing;
  }

  public Duration retryBudget() {
    return config.ioRetryBudget();
  }

  @Override
  public void close() {
    routing.close();
    storage.close();
    chunks.close();
    meta.shutdownNow();
    try {
      meta.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    mgmtd.close();
  }
}
