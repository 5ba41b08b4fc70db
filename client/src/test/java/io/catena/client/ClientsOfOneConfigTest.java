package io.catena.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.client.storage.ChunkRead;
import io.catena.client.storage.ChunkWrite;
import io.catena.client.testing.CatenaTestCluster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Clients built from one configuration (a client per thread, or {@code withToken} for another
 * tenant) each number their writes from 1. A storage head answers a retried request id from its
 * recent results, so two clients must never send the same id: the second client's first write was
 * acknowledged with the first client's result and never stored (the scale-out test's tenant put
 * caught it as a CRC32C mismatch on read).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientsOfOneConfigTest {

  private CatenaTestCluster cluster;

  @BeforeAll
  void start() {
    cluster = CatenaTestCluster.builder().storageNodes(1).replicas(1).chains(1).stripe(1).start();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theirFirstWritesToTwoChunksAreBothStored() throws Exception {
    firstWritesOfTwoClientsReadBack(chunkId(1), 0, chunkId(2), 0);
  }

  @Test
  void theirFirstWritesToTwoRangesOfOneChunkAreBothStored() throws Exception {
    firstWritesOfTwoClientsReadBack(chunkId(3), 0, chunkId(3), 512); // as two KV puts of one slab
  }

  /** Two new clients of one config each write once (both with sequence 1); both writes stay. */
  private void firstWritesOfTwoClientsReadBack(byte[] idA, int atA, byte[] idB, int atB)
      throws Exception {
    CatenaClientConfig config = cluster.clientConfig();
    try (CatenaClient first = CatenaClient.connect(config);
        CatenaClient second = CatenaClient.connect(config)) {
      byte[] a = "written by the first client".getBytes(StandardCharsets.UTF_8);
      byte[] b = "and this by the second".getBytes(StandardCharsets.UTF_8);
      first.chunks().write(new ChunkWrite(1, idA, atA, ByteBuffer.wrap(a))).get();
      second.chunks().write(new ChunkWrite(1, idB, atB, ByteBuffer.wrap(b))).get();

      assertThat(read(first, idB, atB, b.length)).isEqualTo(b);
      assertThat(read(second, idA, atA, a.length)).isEqualTo(a);
    }
  }

  private static byte[] read(CatenaClient client, byte[] id, int offset, int length)
      throws Exception {
    ByteBuffer dst = ByteBuffer.allocate(length);
    assertThat(client.chunks().read(new ChunkRead(1, id, offset, length, dst)).get())
        .as("bytes of chunk %d at %d", id[15], offset)
        .isEqualTo(length);
    return dst.array();
  }

  private static byte[] chunkId(int k) {
    return ByteBuffer.allocate(16).putLong(0xC11E47L).putLong(k).array();
  }
}
