package io.catena.storage.server;

import static io.catena.storage.chain.PublicTargetState.OFFLINE;
import static io.catena.storage.chain.PublicTargetState.SERVING;
import static io.catena.storage.chain.PublicTargetState.SYNCING;
import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.storage.ApplyRoutingRequest;
import io.catena.protocol.storage.LocalState;
import io.catena.protocol.storage.LocalStatesRequest;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.StorageAdminServiceGrpc;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.StorageDaemon;
import io.catena.storage.chain.ChainMember;
import io.catena.storage.chain.ChainView;
import io.catena.storage.chain.PublicTargetState;
import io.catena.storage.chunk.ChunkEngine;
import io.catena.storage.chunk.ChunkId;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three storage daemons as child processes on loopback, one chain of three replicas, the test
 * playing mgmtd through ApplyRouting. The middle replica is killed with SIGKILL during concurrent
 * writes: every acknowledged write must read back from the survivors; restarted, the replica syncs
 * while writes continue and ends byte-identical to the others.
 */
class StorageDaemonProcessTest {
  private static final int CHAIN = 1;
  @TempDir Path dir;
  private final Process[] processes = new Process[3];
  private final String[] addresses = new String[3];
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final AtomicReference<ChainView> routing = new AtomicReference<>();
  private StorageTestClient client;

  @AfterEach
  void killAll() throws Exception {
    if (client != null) {
      client.close();
    }
    channels.forEach(ManagedChannel::shutdownNow);
    for (Process p : processes) {
      if (p != null && p.isAlive()) {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
    // keep the daemons' logs for a look after a failure
    Path keep = Path.of("target", "storage-process-test");
    Files.createDirectories(keep);
    for (int i = 0; i < 3; i++) {
      Path log = dir.resolve("daemon-" + i + ".log");
      if (Files.exists(log)) {
        Files.copy(
            log,
            keep.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static long target(int i) {
    return 101 + i;
  }

  private void launch(int i) throws Exception {
    Path portFile = dir.resolve("port-" + i);
    Files.deleteIfExists(portFile);
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx160m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            StorageDaemon.class.getName(),
            "--node-id",
            String.valueOf(i + 1),
            "--port",
            "0",
            "--metrics-port",
            "-1",
            "--target",
            target(i) + ":" + CHAIN + ":" + dir.resolve("target-" + i),
            "--port-file",
            portFile.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(
        ProcessBuilder.Redirect.appendTo(dir.resolve("daemon-" + i + ".log").toFile()));
    processes[i] = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Files.exists(portFile)) {
      if (!processes[i].isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "daemon "
                + i
                + " did not start: "
                + Files.readString(dir.resolve("daemon-" + i + ".log")));
      }
      Thread.sleep(50);
    }
    addresses[i] = "127.0.0.1:" + Files.readString(portFile).trim().split(" ")[0];
  }

  private StorageAdminServiceGrpc.StorageAdminServiceBlockingStub admin(int i) {
    ManagedChannel ch =
        Grpc.newChannelBuilder(addresses[i], InsecureChannelCredentials.create()).build();
    channels.add(ch);
    return StorageAdminServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private ChainView publish(long version, int[] order, PublicTargetState[] states, int... to) {
    List<ChainMember> members = new ArrayList<>();
    for (int k = 0; k < order.length; k++) {
      members.add(new ChainMember(target(order[k]), states[k], addresses[order[k]]));
    }
    ChainView v = new ChainView(CHAIN, version, members);
    routing.set(v);
    for (int i : to) {
      admin(i)
          .applyRouting(
              ApplyRoutingRequest.newBuilder().addChains(WireMapping.chainView(v)).build());
    }
    return v;
  }

  private LocalState localState(int i) {
    return admin(i)
        .localStates(LocalStatesRequest.getDefaultInstance())
        .getTargets(0)
        .getLocalState();
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Writers each write their own chunks (and rewrite older ones); acked content is recorded. */
  private final class Writers {
    final Map<ChunkId, byte[]> acked = new ConcurrentHashMap<>();
    final AtomicInteger count = new AtomicInteger();
    final AtomicBoolean stop = new AtomicBoolean();
    final List<Thread> threads = new ArrayList<>();
    final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    Writers(int n, int round) {
      for (int w = 0; w < n; w++) {
        int writer = w;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      Random random = new Random(round * 100L + writer);
                      for (int k = 0; !stop.get(); k++) {
                        ChunkId id = ChunkId.of(round * 100L + writer, k % 12);
                        // a range write never shrinks a chunk: keep each chunk's length fixed
                        byte[] payload = new byte[128 * 1024 + (k % 12) * 1000];
                        random.nextBytes(payload);
                        WriteResponse r = client.write(id, 0, payload, "w" + round + writer, k);
                        if (r.hasError()) {
                          failures.add(new AssertionError("write " + id + ": " + r.getError()));
                          return;
                        }
                        acked.put(id, payload);
                        count.incrementAndGet();
                      }
                    }));
      }
    }

    void stopAndJoin() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(120_000);
      }
      assertThat(failures).isEmpty();
    }
  }

  private void assertReadable(int server, Map<ChunkId, byte[]> acked) {
    for (var e : acked.entrySet()) {
      ReadResponse r = client.read(addresses[server], e.getKey());
      assertThat(r.hasError())
          .as("read %s from %d: %s", e.getKey(), server, r.getError())
          .isFalse();
      assertThat(ChunkEngine.crc(r.getData().asReadOnlyByteBuffer()))
          .as(
              "chunk %s on replica %d (version %d, length %d, expected length %d)",
              e.getKey(), server, r.getCommitVersion(), r.getChunkLength(), e.getValue().length)
          .isEqualTo(ChunkEngine.crc(ByteBuffer.wrap(e.getValue())));
    }
  }

  private List<String> contents(int server) {
    return client.chunks(addresses[server], target(server)).stream()
        .map(c -> c.chunk() + "@" + c.commitVersion() + ":" + c.length() + ":" + c.crc32c())
        .toList();
  }

  @Test
  void killedMiddleReplicaLosesNoAcknowledgedWriteAndSyncsBackIdentical() throws Exception {
    for (int i = 0; i < 3; i++) {
      launch(i);
    }
    client = new StorageTestClient(routing::get, Duration.ofSeconds(90));
    PublicTargetState[] allServing = {SERVING, SERVING, SERVING};
    publish(1, new int[] {0, 1, 2}, allServing, 0, 1, 2);

    Writers first = new Writers(3, 1);
    await("writes before the kill", () -> first.count.get() >= 30);
    processes[1].destroyForcibly();
    processes[1].waitFor(30, TimeUnit.SECONDS);
    // mgmtd notices: the dead replica moves to the end, OFFLINE
    publish(2, new int[] {0, 2, 1}, new PublicTargetState[] {SERVING, SERVING, OFFLINE}, 0, 2);
    int atKill = first.count.get();
    await("writes after the kill", () -> first.count.get() >= atKill + 30);
    first.stopAndJoin();
    assertReadable(0, first.acked);
    assertReadable(2, first.acked);

    // restart: fenced until it sees routing that shows it OFFLINE, then ONLINE
    launch(1);
    publish(3, new int[] {0, 2, 1}, new PublicTargetState[] {SERVING, SERVING, OFFLINE}, 0, 1, 2);
    await("the restarted target is ONLINE", () -> localState(1) == LocalState.ONLINE);
    Writers second = new Writers(2, 2);
    publish(4, new int[] {0, 2, 1}, new PublicTargetState[] {SERVING, SERVING, SYNCING}, 0, 1, 2);
    await("the restarted target synced", () -> localState(1) == LocalState.UPTODATE);
    publish(5, new int[] {0, 2, 1}, allServing, 0, 1, 2);
    int atServing = second.count.get();
    await("writes after the sync", () -> second.count.get() >= atServing + 10);
    second.stopAndJoin();

    assertReadable(1, first.acked);
    assertReadable(1, second.acked);
    assertThat(contents(1)).isEqualTo(contents(0)).isEqualTo(contents(2)).isNotEmpty();
  }
}
