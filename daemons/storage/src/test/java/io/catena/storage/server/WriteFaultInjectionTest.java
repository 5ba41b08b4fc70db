package io.catena.storage.server;

import static io.catena.storage.chain.PublicTargetState.OFFLINE;
import static io.catena.storage.chain.PublicTargetState.SERVING;
import static io.catena.storage.chain.PublicTargetState.SYNCING;
import static io.catena.storage.chain.PublicTargetState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chain.ChainMember;
import io.catena.storage.chain.FaultPoint;
import io.catena.storage.chain.LocalTargetState;
import io.catena.storage.chunk.ChunkId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A replica "crashes" at each step of the write path (the step fails, then the daemon stops and
 * restarts from its directory). Committed data must never be lost or corrupted: survivors read the
 * old or the new version, whole; the client's retry with the same request id completes the write
 * exactly once; the restarted replica syncs back to byte-identical.
 */
class WriteFaultInjectionTest {
  @TempDir Path dir;

  static Stream<Arguments> crashes() {
    List<Arguments> all = new ArrayList<>();
    for (FaultPoint p : FaultPoint.values()) {
      for (int replica = 0; replica < 3; replica++) {
        all.add(Arguments.of(p, replica));
      }
    }
    return all.stream();
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @ParameterizedTest(name = "crash at {0} on replica {1}")
  @MethodSource("crashes")
  void aCrashAtAnyStepLosesNoCommittedData(FaultPoint point, int replica) {
    ChunkId chunk = ChunkId.of(42, 0);
    byte[] v1 = data(70_000, 1);
    byte[] v2 = new byte[70_000];
    System.arraycopy(v1, 0, v2, 0, v1.length);
    System.arraycopy(data(5_000, 2), 0, v2, 10_000, 5_000);
    byte[] patch = data(5_000, 2);
    try (LocalChain chain = new LocalChain(dir, 3, RequestAuthorizer.allowAll());
        StorageTestClient client = new StorageTestClient(chain::view, Duration.ofSeconds(60))) {
      assertThat(client.write(chunk, 0, v1, "c", 1).hasError()).isFalse();

      AtomicBoolean fired = new AtomicBoolean();
      chain
          .servers[replica]
          .replicator()
          .setFaultInjector(
              (p, target, id) -> {
                if (p == point && id.equals(chunk) && fired.compareAndSet(false, true)) {
                  throw new IllegalStateException("injected crash at " + p);
                }
              });
      WriteResponse first = client.writeOnce(chunk, 10_000, patch, "c", 2);
      assertThat(fired).isTrue();
      boolean acknowledged = !first.hasError();

      // the replica dies; mgmtd moves it to the end of the chain as OFFLINE
      chain.stop(replica);
      List<ChainMember> survivors = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if (i != replica) {
          survivors.add(chain.member(i, SERVING));
        }
      }
      chain.publish(with(survivors, chain.member(replica, OFFLINE)));
      for (int i = 0; i < 3; i++) {
        if (i != replica) {
          byte[] read = read(client, chain, i, chunk);
          assertThat(read)
              .as("survivor %d", i)
              .satisfiesAnyOf(r -> assertThat(r).isEqualTo(v1), r -> assertThat(r).isEqualTo(v2));
          if (acknowledged) {
            assertThat(read).isEqualTo(v2);
          }
        }
      }

      // the client retries the same request: applied exactly once
      WriteResponse retried = client.write(chunk, 10_000, patch, "c", 2);
      assertThat(retried.hasError()).as("retry: %s", retried.getError()).isFalse();
      assertThat(retried.getCommitVersion()).isEqualTo(2);

      chain.start(replica);
      LocalChain.await(
          "the restarted replica is ONLINE",
          () -> chain.localState(replica) == LocalTargetState.ONLINE);
      chain.publish(with(survivors, chain.member(replica, WAITING)));
      chain.publish(with(survivors, chain.member(replica, SYNCING)));
      LocalChain.await(
          "the restarted replica synced",
          () -> chain.localState(replica) == LocalTargetState.UPTODATE);
      chain.publish(with(survivors, chain.member(replica, SERVING)));
      for (int i = 0; i < 3; i++) {
        assertThat(read(client, chain, i, chunk)).as("replica %d", i).isEqualTo(v2);
        assertThat(
                client
                    .chunks(chain.servers[i].address(), LocalChain.targetId(i))
                    .getFirst()
                    .commitVersion())
            .isEqualTo(2);
      }
    }
  }

  private static List<ChainMember> with(List<ChainMember> head, ChainMember last) {
    List<ChainMember> all = new ArrayList<>(head);
    all.add(last);
    return all;
  }

  private static byte[] read(StorageTestClient client, LocalChain chain, int i, ChunkId chunk) {
    ReadResponse r = client.read(chain.servers[i].address(), chunk);
    assertThat(r.hasError()).as("read from %d: %s", i, r.getError()).isFalse();
    return r.getData().toByteArray();
  }
}
