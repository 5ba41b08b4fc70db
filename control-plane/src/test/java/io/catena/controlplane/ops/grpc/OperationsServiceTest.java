package io.catena.controlplane.ops.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.controlplane.ops.LiveClusterFixture;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.GetSelfHealingRequest;
import io.catena.protocol.controlplane.HotSpotsReply;
import io.catena.protocol.controlplane.HotSpotsRequest;
import io.catena.protocol.controlplane.ListAuditRequest;
import io.catena.protocol.controlplane.ListOperationsRequest;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.OperationRef;
import io.catena.protocol.controlplane.OperationsGrpc;
import io.catena.protocol.controlplane.PlanOperationRequest;
import io.catena.protocol.controlplane.Rebalance;
import io.catena.protocol.controlplane.Repair;
import io.catena.protocol.controlplane.SetSelfHealingRequest;
import io.catena.protocol.controlplane.ThroughputReply;
import io.catena.protocol.controlplane.ThroughputRequest;
import io.catena.protocol.controlplane.WatchEventsRequest;
import io.catena.storage.chunk.ChunkId;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Operations gRPC API over a live cluster: plans, events with replay, audit, load, errors. */
class OperationsServiceTest {

  @TempDir Path root;

  private LiveClusterFixture fixture;
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void tearDown() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private OperationsGrpc.OperationsBlockingStub start() throws Exception {
    fixture = LiveClusterFixture.start(root, 3, 3);
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(fixture.ops().service())
            .build()
            .start();
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
            .build();
    return OperationsGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private OperationInfo awaitEnd(OperationsGrpc.OperationsBlockingStub stub, String id)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    OperationInfo op;
    do {
      op = stub.getOperation(OperationRef.newBuilder().setId(id).build());
      if (!op.getState().equals("RUNNING") && !op.getState().equals("PLANNED")) {
        return op;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("operation " + id + " did not end: " + op);
  }

  @Test
  void plansRunAndAreStreamedAsEventsWithReplayAndAudited() throws Exception {
    OperationsGrpc.OperationsBlockingStub stub = start();
    List<Event> events = new CopyOnWriteArrayList<>();
    OperationsGrpc.newStub(channel)
        .watchEvents(
            WatchEventsRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(Event e) {
                events.add(e);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });

    // A repair of a serving target is refused, with the reason, and nothing runs.
    OperationInfo refused =
        stub.planOperation(
            PlanOperationRequest.newBuilder()
                .setRepair(Repair.newBuilder().setTargetId(LiveClusterFixture.target(1, 1)))
                .setRequestedBy("alice")
                .setAutoApprove(true)
                .build());
    assertThat(refused.getState()).isEqualTo("REFUSED");
    assertThat(refused.getMessage()).contains("is SERVING").contains("OFFLINE");

    OperationInfo rebalance =
        stub.planOperation(
            PlanOperationRequest.newBuilder()
                .setRebalance(Rebalance.newBuilder().setWindow("1m"))
                .setRequestedBy("alice")
                .build());
    assertThat(rebalance.getState()).isEqualTo("PLANNED");
    assertThat(rebalance.getKind()).isEqualTo("rebalance");
    stub.approveOperation(OperationRef.newBuilder().setId(rebalance.getId()).setBy("bob").build());
    assertThat(awaitEnd(stub, rebalance.getId()).getState()).isEqualTo("SUCCEEDED");
    assertThat(stub.listOperations(ListOperationsRequest.getDefaultInstance()).getOperationsList())
        .extracting(OperationInfo::getId)
        .containsExactly(refused.getId(), rebalance.getId());

    LiveClusterFixture.awaitTrue(
        "the rebalance's end to be streamed",
        () ->
            events.stream()
                .anyMatch(
                    e ->
                        e.getKind() == Event.Kind.OPERATION
                            && e.getOperation().getId().equals(rebalance.getId())
                            && e.getOperation().getState().equals("SUCCEEDED")));
    assertThat(events)
        .filteredOn(e -> e.getKind() == Event.Kind.AUDIT)
        .extracting(e -> e.getAudit().getWho() + " " + e.getAudit().getAction())
        .contains("alice plan repair", "alice plan rebalance", "bob approve");
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).getSequence()).isEqualTo(events.get(i - 1).getSequence() + 1);
    }

    // A new watcher first gets the last N events.
    List<Event> replayed = new CopyOnWriteArrayList<>();
    OperationsGrpc.newStub(channel)
        .watchEvents(
            WatchEventsRequest.newBuilder().setReplay(4).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(Event e) {
                replayed.add(e);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    LiveClusterFixture.awaitTrue("4 replayed events", () -> replayed.size() >= 4);
    assertThat(replayed.getLast().getSequence()).isEqualTo(events.getLast().getSequence());

    assertThat(stub.listAudit(ListAuditRequest.newBuilder().setLimit(2).build()).getEntriesList())
        .hasSize(2)
        .last()
        .satisfies(a -> assertThat(a.getOutcome()).isEqualTo("SUCCEEDED"));
  }

  @Test
  void badRequestsAreInvalidArgumentWithAnErrorDetail() throws Exception {
    OperationsGrpc.OperationsBlockingStub stub = start();
    assertThatThrownBy(() -> stub.planOperation(PlanOperationRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getTrailers().get(OpsGrpcErrors.TRAILER).getCode())
                  .isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("no operation given");
            });
    assertThatThrownBy(
            () ->
                stub.planOperation(
                    PlanOperationRequest.newBuilder()
                        .setRepair(Repair.newBuilder().setTargetId(424242))
                        .build()))
        .hasMessageContaining("target-424242 does not exist");
    assertThatThrownBy(() -> stub.getOperation(OperationRef.newBuilder().setId("op-99").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(stub.getSelfHealing(GetSelfHealingRequest.getDefaultInstance()).getPaused())
        .isTrue();
    assertThat(
            stub.setSelfHealing(
                    SetSelfHealingRequest.newBuilder().setPaused(false).setBy("c").build())
                .getPaused())
        .isFalse();
  }

  @Test
  void hotSpotsAndThroughputComeFromTheStorageDaemonsCounters() throws Exception {
    OperationsGrpc.OperationsBlockingStub stub = start();
    fixture.ops().hotSpots().sampler().sampleOnce();
    Random random = new Random(3);
    for (int i = 0; i < 20; i++) {
      byte[] bytes = new byte[200_000];
      random.nextBytes(bytes);
      assertThat(fixture.cluster().write(2, ChunkId.of(7, i), bytes, 5000 + i, 60_000)).isTrue();
    }
    Thread.sleep(20); // the next sample must be later than the first (rates need a time span)
    fixture.ops().hotSpots().sampler().sampleOnce();

    HotSpotsReply hot =
        stub.getHotSpots(HotSpotsRequest.newBuilder().setWindow("1m").setTop(2).build());
    assertThat(hot.getWindow()).isEqualTo("1m");
    assertThat(hot.getTargetsCount()).isEqualTo(9);
    assertThat(hot.getTopChainsList()).hasSize(2);
    assertThat(hot.getTopChains(0).getId()).contains("2");
    assertThat(hot.getTopChains(0).getWriteBytesPerS()).isGreaterThan(0);
    assertThat(hot.getTopChains(0).getScore()).isGreaterThan(1);

    ThroughputReply throughput =
        stub.getThroughput(ThroughputRequest.newBuilder().setWindow("5m").build());
    assertThat(throughput.getSamplesList()).isNotEmpty();
    // every replica counts what it stored: 20 × 200 kB × 3 replicas
    double seconds =
        throughput.getSamplesList().stream().mapToDouble(s -> s.getWriteBytesPerS()).sum();
    assertThat(seconds).isGreaterThan(0);
  }
}
