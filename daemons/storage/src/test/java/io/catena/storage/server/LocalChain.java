package io.catena.storage.server;

import io.catena.protocol.security.TransportSecurity;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chain.ChainMember;
import io.catena.storage.chain.ChainView;
import io.catena.storage.chain.LocalTargetState;
import io.catena.storage.chain.PublicTargetState;
import io.catena.storage.chain.StaticRoutingSource;
import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.chunk.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Storage daemons in this JVM on loopback, each serving one target of chain 1 (target 101 + i on
 * server i), with the test playing mgmtd: it publishes chain views through a shared static routing
 * source.
 */
final class LocalChain implements AutoCloseable {
  static final int CHAIN = 1;
  static final EngineConfig ENGINE =
      new EngineConfig(
          List.of(64 * EngineConfig.KIB, 256 * EngineConfig.KIB, EngineConfig.MIB),
          4L * EngineConfig.MIB,
          FsyncPolicy.NEVER,
          0);

  final StaticRoutingSource routing = new StaticRoutingSource();
  final LocalStateBoard board = new LocalStateBoard();
  final StorageServer[] servers;
  final Path root;
  final RequestAuthorizer authorizer;
  private long version;

  private final java.util.function.IntFunction<TransportSecurity> transport;

  LocalChain(Path root, int replicas, RequestAuthorizer authorizer) {
    this(root, replicas, authorizer, i -> TransportSecurity.plaintext());
  }

  /** Server {@code i} serves and dials peers with {@code transport.apply(i)}. */
  LocalChain(
      Path root,
      int replicas,
      RequestAuthorizer authorizer,
      java.util.function.IntFunction<TransportSecurity> transport) {
    this.transport = transport;
    this.root = root;
    this.authorizer = authorizer;
    this.servers = new StorageServer[replicas];
    for (int i = 0; i < replicas; i++) {
      start(i);
    }
    List<ChainMember> members = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      members.add(member(i, PublicTargetState.SERVING));
    }
    publish(members);
  }

  static long targetId(int i) {
    return 101 + i;
  }

  void start(int i) {
    servers[i] =
        StorageServer.start(
            StorageConfig.loopback(
                    i + 1,
                    List.of(new TargetConfig(targetId(i), CHAIN, root.resolve("target-" + i))),
                    ENGINE)
                .withForwardTimeout(Duration.ofSeconds(20)),
            routing,
            board,
            authorizer,
            transport.apply(i));
  }

  void stop(int i) {
    servers[i].close();
  }

  ChainMember member(int i, PublicTargetState state) {
    return new ChainMember(targetId(i), state, servers[i].address());
  }

  synchronized ChainView publish(List<ChainMember> members) {
    ChainView v = new ChainView(CHAIN, ++version, members);
    routing.apply(v);
    return v;
  }

  ChainView view() {
    return routing.chain(CHAIN).orElseThrow();
  }

  LocalTargetState localState(int i) {
    return servers[i].replicator().target(targetId(i)).orElseThrow().localState();
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    for (StorageServer s : servers) {
      if (s != null) {
        try {
          s.close();
        } catch (RuntimeException e) {
          // already closed by the test
        }
      }
    }
  }
}
