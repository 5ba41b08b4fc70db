package io.catena.client.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.catena.client.CatenaClient;
import io.catena.client.testing.CatenaTestCluster;
import io.catena.protocol.kv.KvIndexGrpc;
import io.catena.protocol.kv.KvStatus;
import io.catena.protocol.kv.OpenSessionRequest;
import io.catena.protocol.kv.ReserveItem;
import io.catena.protocol.kv.ReserveRequest;
import io.catena.protocol.meta.Quota;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The KV API against a real in-process cluster (mgmtd, meta, 3 storage daemons). */
class KvClientTest {

  private static CatenaTestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = CatenaTestCluster.builder().storageNodes(3).replicas(2).chains(6).stripe(3).start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** LRU order is by the meta server's millisecond clock: keep accesses in distinct ones. */
  static void nextMillisecond() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now) {
      Thread.onSpinWait();
    }
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A client of a fresh tenant (its root token), so tests do not share KV space. */
  record Tenant(CatenaClient client, KvClient kv, String token) implements AutoCloseable {
    @Override
    public void close() {
      kv.close();
      client.close();
    }
  }

  static Tenant tenant(String name) {
    String token = cluster.createTenant(name, Quota.getDefaultInstance());
    CatenaClient client = CatenaClient.connect(cluster.clientConfig(token));
    return new Tenant(client, KvClient.open(client), token);
  }

  @Test
  void valuesRoundTripThroughCallerBuffersWithoutCopies() {
    try (Tenant t = tenant("roundtrip")) {
      byte[] big = random((3 << 20) + 4321, 1); // crosses chunks and chains
      ByteBuffer src = ByteBuffer.allocateDirect(big.length).put(big).flip();
      assertThat(t.kv().put(k("big"), src)).isEqualTo(KvPutStatus.STORED);
      assertThat(src.position()).isZero();
      ByteBuffer dst = ByteBuffer.allocateDirect(big.length + 10);
      dst.position(10);
      assertThat(t.kv().get(k("big"), dst)).isEqualTo(big.length);
      assertThat(dst.position()).isEqualTo(10 + big.length);
      byte[] back = new byte[big.length];
      dst.get(10, back);
      assertThat(back).isEqualTo(big);
      assertThat(t.kv().get(k("nothing"), ByteBuffer.allocate(1))).isEqualTo(-1);
      assertThat(t.kv().get("nothing")).isNull();
      assertThat(t.kv().put(k("big"), src)).isEqualTo(KvPutStatus.EXISTS);
    }
  }

  @Test
  void aPrefixChainInBatches() {
    try (Tenant t = tenant("chain")) {
      List<KvPut> puts = new ArrayList<>();
      List<byte[]> keys = new ArrayList<>();
      byte[] prev = new byte[0];
      for (int i = 0; i < 16; i++) {
        byte[] key = k("page-" + i);
        keys.add(key);
        puts.add(KvPut.of(key, ByteBuffer.wrap(random(100_000 + i, i))).after(prev));
        prev = key;
      }
      assertThat(t.kv().putBatch(puts.subList(0, 10), false))
          .containsOnly(KvPutStatus.STORED)
          .hasSize(10);
      assertThat(t.kv().batchExists(keys)).isEqualTo(10);
      assertThat(t.kv().putBatch(puts, false))
          .startsWith(KvPutStatus.EXISTS)
          .endsWith(KvPutStatus.STORED);
      assertThat(t.kv().batchExists(keys)).isEqualTo(16);
      List<ByteBuffer> dsts = new ArrayList<>();
      keys.forEach(key -> dsts.add(ByteBuffer.allocate(200_000)));
      int[] lengths = t.kv().getBatch(keys, dsts);
      for (int i = 0; i < 16; i++) {
        assertThat(lengths[i]).isEqualTo(100_000 + i);
        assertThat(Arrays.copyOf(dsts.get(i).array(), lengths[i]))
            .isEqualTo(random(100_000 + i, i));
      }
      assertThat(t.kv().deleteBatch(List.of(keys.get(5), k("nope")))).containsExactly(true, false);
      assertThat(t.kv().batchExists(keys)).isEqualTo(5);
      assertThat(t.kv().locate(keys, true)).hasSize(5);
      assertThat(t.kv().stats().entries()).isEqualTo(15);
    }
  }

  @Test
  void aDeadWritersReservationIsInvisibleAndReclaimed() throws Exception {
    try (Tenant t = tenant("deadwriter")) {
      ManagedChannel ch =
          NettyChannelBuilder.forTarget(cluster.metaAddress()).usePlaintext().build();
      try {
        Metadata h = new Metadata();
        h.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
            "Bearer " + t.token());
        var raw =
            KvIndexGrpc.newBlockingStub(ch)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        // a writer that reserves and then dies (never keeps its 500 ms session alive)
        long session =
            raw.openSession(OpenSessionRequest.newBuilder().setTtlMs(500).build()).getSessionId();
        var reserved =
            raw.reserve(
                ReserveRequest.newBuilder()
                    .setSessionId(session)
                    .addItems(
                        ReserveItem.newBuilder()
                            .setKey(ByteString.copyFromUtf8("orphan"))
                            .setLength(1000))
                    .build());
        assertThat(reserved.getResults(0).getStatus()).isEqualTo(KvStatus.OK);
        assertThat(t.kv().exists(k("orphan"))).isFalse();
        assertThat(t.kv().get("orphan")).isNull();
        CatenaTestCluster.await(
            "the dead writer's reservation to be reclaimed",
            () -> t.kv().stats().reclaimedReservations() == 1);
        assertThat(t.kv().put("orphan", random(1000, 3))).isEqualTo(KvPutStatus.STORED);
        assertThat(t.kv().get("orphan")).isEqualTo(random(1000, 3));
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void aLocatedValueStaysReadableWhileItsLeaseLastsEvenAfterEviction() {
    try (Tenant t = tenant("leases")) {
      int size = 64 * 1024;
      t.kv().setPolicy(4L * size, 100, 75, 0);
      t.kv().put("victim", random(size, 10));
      KvValue leased = t.kv().locate(List.of(k("victim")), false).getFirst();
      for (int i = 0; i < 6; i++) {
        assertThat(t.kv().put("filler-" + i, random(size, 20 + i))).isEqualTo(KvPutStatus.STORED);
      }
      assertThat(t.kv().exists(k("victim"))).isFalse();
      assertThat(t.kv().stats().evictions()).isGreaterThanOrEqualTo(1);
      // the evicted value's slot was not handed to a filler: the leased read still sees its bytes
      ByteBuffer dst = ByteBuffer.allocate(size);
      assertThat(t.kv().read(List.of(leased), List.of(dst))[0]).isEqualTo(size);
      assertThat(dst.array()).isEqualTo(random(size, 10));
    }
  }

  @Test
  void evictionTakesTheTailOfAChainBeforeItsHead() {
    try (Tenant t = tenant("prefix")) {
      int size = 64 * 1024;
      t.kv().setPolicy(5L * size, 100, 100, 0);
      t.kv()
          .putBatch(
              List.of(
                  KvPut.of(k("h"), ByteBuffer.wrap(random(size, 1))),
                  KvPut.of(k("m"), ByteBuffer.wrap(random(size, 2))).after(k("h")),
                  KvPut.of(k("t"), ByteBuffer.wrap(random(size, 3))).after(k("m"))),
              false);
      nextMillisecond();
      t.kv().put("other", random(size, 4));
      nextMillisecond();
      t.kv().get("h"); // the head is the most recently used, but it heads a chain
      nextMillisecond();
      t.kv().put("n1", random(size, 5));
      t.kv().put("n2", random(size, 6));
      assertThat(t.kv().batchExists(List.of(k("h"), k("m"), k("t")))).isEqualTo(2);
      t.kv().put("n3", random(size, 7));
      assertThat(t.kv().batchExists(List.of(k("h"), k("m"), k("t")))).isEqualTo(1);
      t.kv().put("n4", random(size, 8));
      assertThat(t.kv().exists(k("other"))).isFalse();
      assertThat(t.kv().exists(k("h"))).isTrue();
    }
  }

  @Test
  void aFullCapacityOfReservationsAnswersNoSpace() {
    try (Tenant t = tenant("quota")) {
      int size = 64 * 1024;
      t.kv().setPolicy(2L * size, 100, 50, 0);
      List<KvPut> three = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        three.add(KvPut.of(k("q" + i), ByteBuffer.wrap(random(size, i))));
      }
      // one batch reserves all three before committing: the third finds no evictable space
      assertThat(t.kv().putBatch(three, false))
          .containsExactly(KvPutStatus.STORED, KvPutStatus.STORED, KvPutStatus.NO_SPACE);
    }
  }

  @Test
  void steadyStateSpaceUtilisation() {
    try (Tenant t = tenant("utilisation")) {
      // DeepSeek-V3 MLA pages of 16 tokens (70,272 B/token): 1,124,352 B values
      int size = 16 * 70_272;
      long capacity = 64L << 20;
      t.kv().setPolicy(capacity, 0, 0, 0);
      byte[] value = random(size, 42);
      for (int i = 0; i < 200; i++) {
        t.kv().put("page-" + i, value);
      }
      KvStats s = t.kv().stats();
      System.out.printf(
          "KV utilisation at steady state: %d values, %.1f%% of slab bytes (%d of %d), %d evictions%n",
          s.entries(), 100 * s.utilisation(), s.valueBytes(), s.slabBytes(), s.evictions());
      assertThat(s.slabBytes()).isLessThanOrEqualTo(capacity);
      assertThat(s.evictions()).isPositive();
      assertThat(s.utilisation()).isGreaterThan(0.85);
    }
  }
}
