package io.catena.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.client.storage.ChunkRead;
import io.catena.client.storage.ChunkWrite;
import io.catena.client.storage.DataChannelStats;
import io.catena.client.testing.CatenaTestCluster;
import io.catena.protocol.mgmtd.NodeInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Chunk reads through the client library over the storage daemons' data channel: large reads take
 * it (counted by the daemon, not timed), small ones stay on gRPC, a bad token is refused there as
 * over gRPC, and a data channel that refuses connections costs a fallback to gRPC, not an error.
 * Node 1 serves chain 1, node 2 chain 2 (one replica each).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataChannelReadTest {

  private static final String INTRUDER = "intruder-token";
  private static final int BIG = 1024 * 1024;

  private CatenaTestCluster cluster;
  private CatenaClient client;

  @BeforeAll
  void start() {
    cluster =
        CatenaTestCluster.builder()
            .storageNodes(2)
            .replicas(1)
            .chains(2)
            .stripe(2)
            .storageAuthorizer((token, chain, chunk, access) -> !token.equals(INTRUDER))
            .start();
    client = cluster.newClient();
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void routingPublishesEachStorageNodesDataChannel() {
    for (NodeInfo node : cluster.routing().getNodesList()) {
      assertThat(node.getDataAddress())
          .isEqualTo(cluster.storage(node.getNodeId()).dataAddress())
          .isNotEmpty();
    }
  }

  @Test
  void largeReadsTakeTheDataChannelAndReturnTheWrittenBytes() throws Exception {
    byte[] data = bytes(BIG, 1);
    byte[] id = chunkId(1);
    write(client, 1, id, data);
    DataChannelStats before = client.chunks().dataChannelStats();
    long served = cluster.storage(1).dataChannelReads();

    ByteBuffer whole = ByteBuffer.allocateDirect(BIG);
    assertThat(client.chunks().read(new ChunkRead(1, id, 0, BIG, whole)).get()).isEqualTo(BIG);
    assertThat(contents(whole, BIG)).isEqualTo(data);
    ByteBuffer heap = ByteBuffer.allocate(200_000);
    assertThat(client.chunks().read(new ChunkRead(1, id, 100_000, 200_000, heap)).get())
        .isEqualTo(200_000);
    assertThat(contents(heap, 200_000))
        .isEqualTo(java.util.Arrays.copyOfRange(data, 100_000, 300_000));
    // a read running past the chunk's end gets what is there
    ByteBuffer tail = ByteBuffer.allocateDirect(BIG);
    assertThat(client.chunks().read(new ChunkRead(1, id, BIG - 1000, BIG, tail)).get())
        .isEqualTo(1000);
    // a chunk that does not exist
    assertThat(client.chunks().read(new ChunkRead(1, chunkId(99), 0, BIG, tail.clear())).get())
        .isEqualTo(-1);

    // the daemon counts a read once its bytes are handed to the socket: maybe just after we have
    // them
    CatenaTestCluster.await(
        "the daemon to count the 3 reads",
        () -> cluster.storage(1).dataChannelReads() - served >= 3);
    assertThat(cluster.storage(1).dataChannelReads() - served).isEqualTo(3);
    DataChannelStats after = client.chunks().dataChannelStats();
    assertThat(after.reads() - before.reads()).isEqualTo(4);
    assertThat(after.bytes() - before.bytes()).isEqualTo(BIG + 200_000 + 1000);
    assertThat(after.fallbacks()).isEqualTo(before.fallbacks());
  }

  @Test
  void smallReadsStayOnGrpc() throws Exception {
    byte[] data = bytes(4096, 2);
    byte[] id = chunkId(2);
    write(client, 1, id, data);
    long served = cluster.storage(1).dataChannelReads();
    ByteBuffer dst = ByteBuffer.allocate(4096);
    assertThat(client.chunks().read(new ChunkRead(1, id, 0, 4096, dst)).get()).isEqualTo(4096);
    assertThat(contents(dst, 4096)).isEqualTo(data);
    assertThat(cluster.storage(1).dataChannelReads()).isEqualTo(served);
  }

  @Test
  void aTokenStorageRefusesIsRefusedOnTheDataChannelToo() throws Exception {
    byte[] data = bytes(BIG, 3);
    byte[] id = chunkId(3);
    write(client, 1, id, data);
    try (CatenaClient intruder = CatenaClient.connect(cluster.clientConfig().withToken(INTRUDER))) {
      long served = cluster.storage(1).dataChannelReads();
      ByteBuffer dst = ByteBuffer.allocateDirect(BIG);
      assertThatThrownBy(() -> intruder.chunks().read(new ChunkRead(1, id, 0, BIG, dst)).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(
              CatenaException.class,
              e -> assertThat(e.code()).isEqualTo(ClientErrorCode.PERMISSION_DENIED));
      DataChannelStats stats = intruder.chunks().dataChannelStats();
      assertThat(stats.reads()).as("refused over the data channel, not gRPC").isEqualTo(1);
      assertThat(stats.bytes()).isZero();
      assertThat(stats.fallbacks()).isZero();
      assertThat(cluster.storage(1).dataChannelReads()).isEqualTo(served);
    }
  }

  @Test
  void aDataChannelThatRefusesConnectionsFallsBackToGrpc() throws Exception {
    byte[] data = bytes(BIG, 4);
    byte[] id = chunkId(4);
    write(client, 2, id, data);
    String refusing = refusingAddress();
    cluster.advertiseDataAddress(2, refusing);
    try {
      CatenaTestCluster.await(
          "mgmtd to publish node 2's refusing data address",
          () -> dataAddressOf(2).equals(refusing));
      try (CatenaClient fresh = cluster.newClient()) {
        CatenaTestCluster.await(
            "the client's routing to show it",
            () -> fresh.routing().current().version() >= cluster.routing().getVersion());
        long served = cluster.storage(2).dataChannelReads();
        for (int i = 0; i < 3; i++) {
          ByteBuffer dst = ByteBuffer.allocateDirect(BIG);
          assertThat(fresh.chunks().read(new ChunkRead(2, id, 0, BIG, dst)).get()).isEqualTo(BIG);
          assertThat(contents(dst, BIG)).isEqualTo(data);
        }
        DataChannelStats stats = fresh.chunks().dataChannelStats();
        assertThat(stats.fallbacks()).isBetween(1L, 3L);
        assertThat(stats.bytes()).isZero();
        assertThat(cluster.storage(2).dataChannelReads()).isEqualTo(served);
      }
    } finally {
      cluster.advertiseDataAddress(2, null);
    }
    CatenaTestCluster.await(
        "node 2's real data address back in routing",
        () -> dataAddressOf(2).equals(cluster.storage(2).dataAddress()));
  }

  private String dataAddressOf(int node) {
    return cluster.routing().getNodesList().stream()
        .filter(n -> n.getNodeId() == node)
        .findFirst()
        .orElseThrow()
        .getDataAddress();
  }

  /** A loopback address nothing listens on (a port bound, then released). */
  private static String refusingAddress() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  private static void write(CatenaClient c, int chain, byte[] id, byte[] data) throws Exception {
    c.chunks().write(new ChunkWrite(chain, id, 0, ByteBuffer.wrap(data))).get();
  }

  private static byte[] contents(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.duplicate().clear().get(out);
    return out;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] chunkId(int n) {
    return ByteBuffer.allocate(16).putLong(0xDA7AL).putLong(n).array();
  }
}
