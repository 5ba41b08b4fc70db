package io.catena.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.client.storage.ChunkRead;
import io.catena.client.storage.ChunkWrite;
import io.catena.client.testing.CatenaTestCluster;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A storage daemon restarted before mgmtd noticed its death: its single-replica chain must serve
 * again (mgmtd makes it LASTSRV on the first report of the fenced target, then SERVING once the
 * daemon reports it online), not stay without a SERVING head.
 */
class QuickRestartTest {

  @Test
  void aSingleReplicaChainServesAgainAfterARestartMgmtdDidNotDetect() throws Exception {
    try (CatenaTestCluster cluster =
            CatenaTestCluster.builder().storageNodes(1).replicas(1).chains(1).stripe(1).start();
        CatenaClient client = cluster.newClient()) {
      byte[] data = new byte[100_000];
      new Random(5).nextBytes(data);
      byte[] id = ByteBuffer.allocate(16).putLong(0x5E5L).putLong(1).array();
      client.chunks().write(new ChunkWrite(1, id, 0, ByteBuffer.wrap(data))).get();
      long before = cluster.routing().getVersion();
      cluster.kill(1);
      cluster.restart(1);
      CatenaTestCluster.await(
          "mgmtd to notice the restart", () -> cluster.routing().getVersion() > before);
      cluster.awaitAllServing();
      ByteBuffer dst = ByteBuffer.allocate(data.length);
      assertThat(client.chunks().read(new ChunkRead(1, id, 0, data.length, dst)).get())
          .isEqualTo(data.length);
      assertThat(dst.array()).isEqualTo(data);
    }
  }
}
