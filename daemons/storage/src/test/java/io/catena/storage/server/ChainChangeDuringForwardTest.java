package io.catena.storage.server;

import static io.catena.storage.chain.PublicTargetState.SERVING;
import static io.catena.storage.chain.PublicTargetState.SYNCING;
import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chain.ChainMember;
import io.catena.storage.chain.FaultPoint;
import io.catena.storage.chain.LocalTargetState;
import io.catena.storage.chain.PublicTargetState;
import io.catena.storage.chunk.ChunkId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A replica is taken out of its chain and let straight back in (a head move: it rejoins at the tail
 * as SYNCING) while a write it has staged is on its way down the chain, and the daemons see only
 * the version after both changes. Where it now sits, it has no successor; the write must not be
 * acknowledged unless every replica in the chain's new order holds it.
 */
class ChainChangeDuringForwardTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "replica {0} moves to the tail mid-write, seen there as {1}")
  @CsvSource({"0, SYNCING", "1, SYNCING", "2, SYNCING", "0, SERVING", "1, SERVING"})
  void aReplicaMovedMidWriteNeverLeavesAnAcknowledgedWriteBehindIt(
      int moved, PublicTargetState rejoinedAs) {
    ChunkId chunk = ChunkId.of(7, 1);
    byte[] bytes = new byte[50_000];
    new Random(moved).nextBytes(bytes);
    try (LocalChain chain = new LocalChain(dir, 3, RequestAuthorizer.allowAll());
        StorageTestClient client = new StorageTestClient(chain::view, Duration.ofSeconds(60))) {
      List<ChainMember> rest = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if (i != moved) {
          rest.add(chain.member(i, SERVING));
        }
      }
      List<ChainMember> movedToTail = new ArrayList<>(rest);
      movedToTail.add(chain.member(moved, rejoinedAs));
      AtomicBoolean fired = new AtomicBoolean();
      chain
          .servers[moved]
          .replicator()
          .setFaultInjector(
              (point, target, id) -> {
                if (point == FaultPoint.AFTER_STAGE
                    && id.equals(chunk)
                    && fired.compareAndSet(false, true)) {
                  chain.publish(movedToTail);
                }
              });

      WriteResponse first = client.writeOnce(chunk, 0, bytes, "c", 1);
      assertThat(fired).isTrue();
      if (!first.hasError()) {
        for (ChainMember m : rest) {
          assertThat(read(client, m.address(), chunk))
              .as("acknowledged, so on target %d", m.targetId())
              .isEqualTo(bytes);
        }
      }

      WriteResponse retried = client.write(chunk, 0, bytes, "c", 1);
      assertThat(retried.hasError()).as("retry: %s", retried.getError()).isFalse();
      for (ChainMember m : rest) {
        assertThat(read(client, m.address(), chunk)).isEqualTo(bytes);
      }
      if (rejoinedAs == SYNCING) {
        LocalChain.await(
            "the moved replica synced", () -> chain.localState(moved) == LocalTargetState.UPTODATE);
        List<ChainMember> serving = new ArrayList<>(rest);
        serving.add(chain.member(moved, SERVING));
        chain.publish(serving);
      }
      assertThat(read(client, chain.servers[moved].address(), chunk)).isEqualTo(bytes);
    }
  }

  private static byte[] read(StorageTestClient client, String address, ChunkId chunk) {
    ReadResponse r = client.read(address, chunk);
    assertThat(r.hasError()).as("read from %s: %s", address, r.getError()).isFalse();
    return r.getData().toByteArray();
  }
}
