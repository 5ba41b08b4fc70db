package io.catena.storage.server;

import static io.catena.storage.chain.PublicTargetState.OFFLINE;
import static io.catena.storage.chain.PublicTargetState.SERVING;
import static io.catena.storage.chain.PublicTargetState.SYNCING;
import static io.catena.storage.chain.PublicTargetState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.RemoveRequest;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chain.LocalTargetState;
import io.catena.storage.chunk.ChunkId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainReplicationTest {
  @TempDir Path dir;
  LocalChain chain;
  StorageTestClient client;

  void start(RequestAuthorizer authorizer) {
    chain = new LocalChain(dir, 3, authorizer);
    client = new StorageTestClient(chain::view, Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private byte[] readFrom(int server, ChunkId id) {
    ReadResponse r = client.read(chain.servers[server].address(), id);
    assertThat(r.hasError()).as("read error %s", r.getError()).isFalse();
    return r.getData().toByteArray();
  }

  /** Same chunks at the same versions with the same length and CRC32C on every replica. */
  private void assertReplicasIdentical(int... servers) {
    var first = contents(servers[0]);
    for (int s : servers) {
      assertThat(contents(s)).as("chunk metadata of server %d", s).isEqualTo(first);
    }
  }

  private List<String> contents(int server) {
    return client.chunks(chain.servers[server].address(), LocalChain.targetId(server)).stream()
        .map(c -> c.chunk() + "@" + c.commitVersion() + ":" + c.length() + ":" + c.crc32c())
        .toList();
  }

  @Test
  void aWriteIsCommittedOnEveryReplicaAndReadableFromAny() {
    start(RequestAuthorizer.allowAll());
    ChunkId id = ChunkId.of(1, 0);
    byte[] payload = data(300_000, 1);
    WriteResponse w = client.write(id, 0, payload, "c", 1);
    assertThat(w.hasError()).isFalse();
    assertThat(w.getCommitVersion()).isEqualTo(1);
    for (int s = 0; s < 3; s++) {
      assertThat(readFrom(s, id)).isEqualTo(payload);
    }
    assertReplicasIdentical(0, 1, 2);
  }

  @Test
  void aWriteToANonHeadOrWithAStaleChainVersionIsRefusedAsRetryable() {
    start(RequestAuthorizer.allowAll());
    var view = chain.view();
    WriteRequest req =
        WriteRequest.newBuilder()
            .setChainId(LocalChain.CHAIN)
            .setChainVersion(view.version())
            .setChunkId(ByteString.copyFrom(ChunkId.of(2, 0).toBytes()))
            .setData(ByteString.copyFromUtf8("x"))
            .build();
    WriteResponse atTail = client.stub(chain.servers[2].address()).write(req);
    assertThat(atTail.getError().getCode()).isEqualTo(ErrorCode.TARGET_NOT_SERVING);
    assertThat(atTail.getError().getRetryable()).isTrue();

    WriteResponse stale =
        client
            .stub(chain.servers[0].address())
            .write(req.toBuilder().setChainVersion(view.version() - 1 + 10).build());
    assertThat(stale.getError().getCode()).isEqualTo(ErrorCode.STALE_CHAIN_VERSION);
    assertThat(stale.getError().getRetryable()).isTrue();
    assertThat(stale.getError().getCurrentVersion()).isEqualTo(view.version());
    assertThat(client.chunks(chain.servers[0].address(), LocalChain.targetId(0))).isEmpty();
  }

  @Test
  void aRetriedRequestIdIsAppliedOnce() {
    start(RequestAuthorizer.allowAll());
    ChunkId id = ChunkId.of(3, 0);
    assertThat(client.write(id, 0, "abc".getBytes(), "c", 1).getCommitVersion()).isEqualTo(1);
    assertThat(client.write(id, 1, "X".getBytes(), "c", 2).getCommitVersion()).isEqualTo(2);
    WriteResponse again = client.write(id, 1, "X".getBytes(), "c", 2);
    WriteResponse older = client.write(id, 0, "abc".getBytes(), "c", 1);
    assertThat(again.getCommitVersion()).isEqualTo(2);
    assertThat(older.getCommitVersion()).isEqualTo(1);
    for (int s = 0; s < 3; s++) {
      assertThat(new String(readFrom(s, id))).isEqualTo("aXc");
    }
    assertThat(client.chunks(chain.servers[2].address(), 103).getFirst().commitVersion())
        .isEqualTo(2);
  }

  @Test
  void aRequestIdReusedForAnotherChunkIsANewWrite() {
    // a client that numbered its writes like another one must not be answered with its results
    start(RequestAuthorizer.allowAll());
    ChunkId first = ChunkId.of(4, 0);
    ChunkId second = ChunkId.of(4, 1);
    assertThat(client.write(first, 0, "one".getBytes(), "same", 1).hasError()).isFalse();
    assertThat(client.write(second, 0, "two".getBytes(), "same", 1).hasError()).isFalse();
    for (int s = 0; s < 3; s++) {
      assertThat(new String(readFrom(s, first))).isEqualTo("one");
      assertThat(new String(readFrom(s, second))).isEqualTo("two");
    }
  }

  @Test
  void concurrentWritersEndWithByteIdenticalReplicas() throws Exception {
    start(RequestAuthorizer.allowAll());
    int writers = 4;
    int perWriter = 15;
    Map<ChunkId, byte[]> acked = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(
          pool.submit(
              () -> {
                for (int k = 0; k < perWriter; k++) {
                  // every writer also overwrites the shared chunk 99/0
                  ChunkId id = k % 5 == 4 ? ChunkId.of(99, 0) : ChunkId.of(writer, k);
                  byte[] payload = data(50_000 + k * 1000, writer * 1000L + k);
                  WriteResponse r = client.write(id, 0, payload, "w" + writer, k);
                  assertThat(r.hasError()).as("write %s: %s", id, r.getError()).isFalse();
                  if (!id.equals(ChunkId.of(99, 0))) {
                    acked.put(id, payload);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    for (var e : acked.entrySet()) {
      for (int s = 0; s < 3; s++) {
        assertThat(readFrom(s, e.getKey())).isEqualTo(e.getValue());
      }
    }
    assertReplicasIdentical(0, 1, 2);
    assertThat(client.chunks(chain.servers[0].address(), 101))
        .filteredOn(c -> c.chunk().equals(ChunkId.of(99, 0)))
        .singleElement()
        .satisfies(c -> assertThat(c.commitVersion()).isEqualTo(writers * (perWriter / 5)));
  }

  @Test
  void aReplicaThatMissedWritesSyncsBackWhileWritesContinue() throws Exception {
    start(RequestAuthorizer.allowAll());
    for (int k = 0; k < 10; k++) {
      assertThat(client.write(ChunkId.of(5, k), 0, data(40_000, k), "c", k).hasError()).isFalse();
    }
    // the middle replica goes away; mgmtd moves it to the end as OFFLINE
    chain.stop(1);
    chain.publish(
        List.of(chain.member(0, SERVING), chain.member(2, SERVING), chain.member(1, OFFLINE)));
    for (int k = 5; k < 15; k++) {
      assertThat(client.write(ChunkId.of(5, k), 0, data(41_000, 100 + k), "c", 100 + k).hasError())
          .isFalse();
    }
    var removed =
        client
            .stub(chain.servers[0].address())
            .remove(
                RemoveRequest.newBuilder()
                    .setChainId(LocalChain.CHAIN)
                    .setChainVersion(chain.view().version())
                    .addChunkIds(ByteString.copyFrom(ChunkId.of(5, 0).toBytes()))
                    .build());
    assertThat(removed.getRemoved()).isEqualTo(1);

    chain.start(1);
    LocalChain.await(
        "restarted target is ONLINE", () -> chain.localState(1) == LocalTargetState.ONLINE);
    chain.publish(
        List.of(chain.member(0, SERVING), chain.member(2, SERVING), chain.member(1, WAITING)));
    assertThat(client.read(chain.servers[1].address(), ChunkId.of(5, 1)).getError().getCode())
        .isEqualTo(ErrorCode.TARGET_NOT_SERVING);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger during = new AtomicInteger();
    Map<ChunkId, byte[]> acked = new ConcurrentHashMap<>();
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int k = 0; !stop.get(); k++) {
                    ChunkId id = ChunkId.of(6, k % 7);
                    byte[] payload = data(30_000, 1000 + k);
                    if (!client.write(id, 0, payload, "d", k).hasError()) {
                      acked.put(id, payload);
                      during.incrementAndGet();
                    }
                  }
                });
    chain.publish(
        List.of(chain.member(0, SERVING), chain.member(2, SERVING), chain.member(1, SYNCING)));
    LocalChain.await("sync is done", () -> chain.localState(1) == LocalTargetState.UPTODATE);
    chain.publish(
        List.of(chain.member(0, SERVING), chain.member(2, SERVING), chain.member(1, SERVING)));
    LocalChain.await("writes flowed after the sync", () -> during.get() >= 10);
    stop.set(true);
    writer.join(60_000);

    assertThat(chain.board.syncsDone(102)).isEqualTo(1);
    assertReplicasIdentical(0, 1, 2);
    assertThat(client.read(chain.servers[1].address(), ChunkId.of(5, 0)).getError().getCode())
        .isEqualTo(ErrorCode.NOT_FOUND);
    for (int k = 5; k < 15; k++) {
      assertThat(readFrom(1, ChunkId.of(5, k))).isEqualTo(data(41_000, 100 + k));
    }
    for (var e : acked.entrySet()) {
      assertThat(readFrom(1, e.getKey())).isEqualTo(e.getValue());
    }
  }

  @Test
  void aTokenTheAuthorizerRefusesIsDeniedAndStoresNothing() {
    start((token, chainId, chunk, access) -> token.equals("tenant-a"));
    var view = chain.view();
    WriteRequest req =
        WriteRequest.newBuilder()
            .setChainId(LocalChain.CHAIN)
            .setChainVersion(view.version())
            .setChunkId(ByteString.copyFrom(ChunkId.of(7, 0).toBytes()))
            .setData(ByteString.copyFromUtf8("secret"))
            .setToken("tenant-b")
            .build();
    WriteResponse denied = client.stub(chain.servers[0].address()).write(req);
    assertThat(denied.getError().getCode()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(client.chunks(chain.servers[0].address(), 101)).isEmpty();
    WriteResponse allowed =
        client.stub(chain.servers[0].address()).write(req.toBuilder().setToken("tenant-a").build());
    assertThat(allowed.hasError()).isFalse();
  }

  @Test
  void targetStatsReportSpaceAndPrometheusShowsPerTargetCounters() {
    start(RequestAuthorizer.allowAll());
    client.write(ChunkId.of(8, 0), 0, data(10_000, 8), "c", 1);
    client.read(chain.servers[1].address(), ChunkId.of(8, 0));
    var stats =
        client
            .stub(chain.servers[1].address())
            .targetStats(io.catena.protocol.storage.TargetStatsRequest.getDefaultInstance());
    assertThat(stats.getTargets(0).getChunkBytes()).isEqualTo(10_000);
    assertThat(stats.getTargets(0).getUsedBytes()).isEqualTo(64 * 1024);
    assertThat(stats.getTargets(0).getCapacityBytes()).isGreaterThan(64 * 1024);
    String scrape = chain.servers[1].registry().scrape();
    assertThat(scrape)
        .contains("catena_storage_read_bytes_total{target=\"102\"} 10000.0")
        .contains("catena_storage_write_bytes_total{target=\"102\"} 10000.0")
        .contains("catena_storage_used_bytes{target=\"102\"}");
  }
}
