package io.catena.agents;

import static io.catena.agents.AgentClients.status;
import static io.catena.agents.TestProcesses.await;
import static io.catena.agents.TestProcesses.fakeSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.protocol.agent.DaemonRef;
import io.catena.protocol.agent.DaemonState;
import io.catena.protocol.agent.DaemonStatus;
import io.catena.protocol.agent.DeployRequest;
import io.catena.protocol.agent.FactsRequest;
import io.catena.protocol.agent.Health;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.catena.protocol.agent.LogChunk;
import io.catena.protocol.agent.LogsRequest;
import io.catena.protocol.agent.MetricsRequest;
import io.catena.protocol.agent.NodeAgentGrpc;
import io.catena.protocol.agent.NodeAgentGrpc.NodeAgentBlockingStub;
import io.catena.protocol.agent.NodeFacts;
import io.catena.protocol.agent.PrepareTargetsReply;
import io.catena.protocol.agent.PrepareTargetsRequest;
import io.catena.protocol.agent.StatusRequest;
import io.catena.protocol.agent.StopRequest;
import io.catena.protocol.common.ErrorCode;
import io.grpc.Context;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAgentServiceTest {

  @TempDir Path root;
  @TempDir Path disk;
  private final TestProcesses processes = new TestProcesses();
  private final AgentClients clients = new AgentClients();
  private NodeAgent agent;
  private FakeControlPlane controlPlane;

  @AfterEach
  void tearDown() {
    clients.close();
    if (agent != null) {
      agent.supervisor().snapshots().forEach(d -> d.pid().ifPresent(processes::track));
      agent.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    processes.killAll();
  }

  private AgentConfig joining(String token) {
    return AgentConfig.local(root)
        .withLabels(Map.of("rack", "r1", "zone", "z1"))
        .withControlPlane(
            new ControlPlaneConfig(
                controlPlane.address(), token, Optional.empty(), Duration.ofSeconds(30)));
  }

  @Test
  void theAgentJoinsWithItsTokenFactsAndEndpointAndKeepsItsNodeIdAcrossRestarts() throws Exception {
    controlPlane =
        new FakeControlPlane("s3cret", JoinReply.newBuilder().setNodeId("node-7").build());

    agent = NodeAgent.start(joining("s3cret"));

    assertThat(agent.nodeId()).contains("node-7");
    JoinRequest join = controlPlane.joins.getFirst();
    assertThat(join.getJoinToken()).isEqualTo("s3cret");
    assertThat(join.getAgentEndpoint()).isEqualTo(agent.endpoint().toString());
    assertThat(join.getAgentTls()).isFalse();
    assertThat(join.getNodeId()).isEmpty();
    NodeFacts facts = join.getFacts();
    assertThat(facts.getCpus()).isPositive();
    assertThat(facts.getMemoryBytes()).isPositive();
    assertThat(facts.getLabelsMap()).containsEntry("rack", "r1").containsEntry("zone", "z1");
    assertThat(facts.getDisksList())
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d.getTotalBytes()).isPositive());
    assertThat(facts.getDisksList()).anySatisfy(d -> assertThat(d.getFreeBytes()).isPositive());

    agent.close();
    agent = NodeAgent.start(joining("s3cret"));
    assertThat(controlPlane.joins.get(1).getNodeId()).isEqualTo("node-7");
  }

  @Test
  void aRefusedJoinFailsTheStartWithTheReasonAndReleasesTheRoot() throws Exception {
    controlPlane = new FakeControlPlane("s3cret", JoinReply.newBuilder().setNodeId("n").build());

    assertThatThrownBy(() -> NodeAgent.start(joining("wrong")))
        .hasMessageContaining("refused the join")
        .hasMessageContaining("unknown join token");

    agent = NodeAgent.start(joining("s3cret"));
    assertThat(agent.nodeId()).contains("n");
  }

  @Test
  void anUnreachableControlPlaneFailsTheStartAfterTheJoinTimeout() throws Exception {
    controlPlane = new FakeControlPlane("t", JoinReply.getDefaultInstance());
    HostPort gone = controlPlane.address();
    controlPlane.close();
    AgentConfig config =
        AgentConfig.local(root)
            .withControlPlane(
                new ControlPlaneConfig(gone, "t", Optional.empty(), Duration.ofSeconds(1)));

    assertThatThrownBy(() -> NodeAgent.start(config))
        .hasMessageContaining("cannot reach the control plane");
  }

  @Test
  void twoAgentsCannotShareARoot() throws Exception {
    agent = NodeAgent.start(AgentConfig.local(root));
    assertThatThrownBy(() -> NodeAgent.start(AgentConfig.local(root)))
        .hasMessageContaining("another agent is running");
  }

  @Test
  void deployStartStatusLogsAndStopOverGrpc() throws Exception {
    agent = NodeAgent.start(AgentConfig.local(root));
    NodeAgentBlockingStub stub = clients.plain(agent.endpoint());

    DaemonStatus deployed =
        stub.deploy(
            DeployRequest.newBuilder()
                .setSpec(fakeSpec("storage-1", "--tick-millis", "100"))
                .build());
    assertThat(deployed.getState()).isEqualTo(DaemonState.DAEMON_STATE_STOPPED);
    DaemonStatus started = stub.start(DaemonRef.newBuilder().setName("storage-1").build());
    processes.track(started.getPid());
    assertThat(started.getState()).isEqualTo(DaemonState.DAEMON_STATE_RUNNING);
    await("healthy", () -> status(stub, "storage-1").getHealth() == Health.HEALTH_HEALTHY);

    DaemonStatus running = stub.status(StatusRequest.getDefaultInstance()).getDaemons(0);
    assertThat(running.getName()).isEqualTo("storage-1");
    assertThat(running.getPid()).isEqualTo(started.getPid());
    assertThat(running.getHealthDetail()).contains("/health -> 200");
    assertThat(running.getDataDirsList())
        .containsExactly(root.resolve("daemons/storage-1/data").toString());
    await("uptime", () -> status(stub, "storage-1").getUptimeMillis() > 0);

    await(
        "3 ticks",
        () -> logLines(stub, 50).stream().filter(l -> l.startsWith("tick ")).count() >= 3);
    List<String> tail = logLines(stub, 2);
    assertThat(tail).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("tick "));

    // follow: the tail, then new lines as they are written, until the caller cancels
    List<String> followed = new CopyOnWriteArrayList<>();
    Context.CancellableContext context = Context.current().withCancellation();
    context.run(
        () ->
            NodeAgentGrpc.newStub(
                    clients.channel(agent.endpoint(), InsecureChannelCredentials.create()))
                .logs(
                    LogsRequest.newBuilder()
                        .setName("storage-1")
                        .setTailLines(1)
                        .setFollow(true)
                        .build(),
                    new StreamObserver<>() {
                      @Override
                      public void onNext(LogChunk chunk) {
                        followed.addAll(chunk.getLinesList());
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    }));
    await("followed lines", () -> followed.size() >= 4);
    context.cancel(null);
    long first = tickNumber(followed.getFirst());
    assertThat(
            followed.stream()
                .filter(l -> l.startsWith("tick "))
                .map(NodeAgentServiceTest::tickNumber)
                .toList())
        .as("consecutive ticks: nothing lost or repeated between tail and follow")
        .startsWith(first, first + 1, first + 2);

    DaemonStatus stopped = stub.stop(StopRequest.newBuilder().setName("storage-1").build());
    assertThat(stopped.getState()).isEqualTo(DaemonState.DAEMON_STATE_STOPPED);
    assertThat(stopped.getLastExitReason()).startsWith("stopped on request");
  }

  @Test
  void metricsAreServedOverHttpAndByRpc() throws Exception {
    agent = NodeAgent.start(AgentConfig.local(root));
    NodeAgentBlockingStub stub = clients.plain(agent.endpoint());
    stub.deploy(DeployRequest.newBuilder().setSpec(fakeSpec("storage-1")).build());
    processes.track(stub.start(DaemonRef.newBuilder().setName("storage-1").build()).getPid());
    await("healthy", () -> status(stub, "storage-1").getHealth() == Health.HEALTH_HEALTHY);

    String rpc = stub.metrics(MetricsRequest.getDefaultInstance()).getPrometheusText();
    String http = httpGet("http://127.0.0.1:" + agent.metricsPort() + "/metrics");

    for (String text : List.of(rpc, http)) {
      assertThat(text)
          .contains("catena_agent_daemon_up{daemon=\"storage-1\",kind=\"storage\"} 1")
          .contains("catena_agent_daemon_healthy{daemon=\"storage-1\",kind=\"storage\"} 1")
          .contains("catena_agent_daemon_restarts{daemon=\"storage-1\",kind=\"storage\"} 0")
          .contains("catena_agent_daemon_flapping{daemon=\"storage-1\",kind=\"storage\"} 0")
          .contains("catena_agent_daemon_uptime_seconds{daemon=\"storage-1\"")
          .contains("catena_agent_node_cpus ")
          .contains("catena_agent_node_memory_bytes ")
          .contains("catena_agent_disk_free_bytes{mount_point=");
    }
  }

  @Test
  void prepareTargetsCreatesDirectoriesOnceAndFactsReportConfiguredDisks() throws Exception {
    AgentConfig config =
        new AgentConfig(
            root,
            new HostPort("127.0.0.1", 0),
            0,
            Optional.empty(),
            Map.of("zone", "z1"),
            List.of(disk),
            Optional.empty(),
            Optional.empty(),
            BackoffPolicy.DEFAULT,
            "test");
    agent = NodeAgent.start(config);
    NodeAgentBlockingStub stub = clients.plain(agent.endpoint());

    PrepareTargetsRequest request =
        PrepareTargetsRequest.newBuilder()
            .setDiskPath(disk.toString())
            .addTargetIds("101")
            .addTargetIds("102")
            .build();
    PrepareTargetsReply first = stub.prepareTargets(request);
    Files.writeString(disk.resolve("catena/targets/101/chunk"), "keep me");
    PrepareTargetsReply again = stub.prepareTargets(request);

    assertThat(first.getTargetsList()).allSatisfy(t -> assertThat(t.getCreated()).isTrue());
    assertThat(again.getTargetsList()).allSatisfy(t -> assertThat(t.getCreated()).isFalse());
    assertThat(disk.resolve("catena/targets/101/chunk")).hasContent("keep me");
    assertThat(disk.resolve("catena/targets/102")).isDirectory();
    assertThat(first.getDisk().getFreeBytes()).isPositive();

    NodeFacts facts = stub.facts(FactsRequest.getDefaultInstance());
    assertThat(facts.getDisksList())
        .singleElement()
        .satisfies(d -> assertThat(d.getMountPoint()).isEqualTo(disk.toString()));
    assertThat(facts.getLabelsMap()).containsEntry("zone", "z1");

    assertThatThrownBy(
            () ->
                stub.prepareTargets(
                    PrepareTargetsRequest.newBuilder()
                        .setDiskPath(disk.resolve("absent").toString())
                        .addTargetIds("1")
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void errorsCarryAStatusCodeAndAnErrorDetail() throws Exception {
    agent = NodeAgent.start(AgentConfig.local(root));
    NodeAgentBlockingStub stub = clients.plain(agent.endpoint());

    assertThatThrownBy(() -> stub.start(DaemonRef.newBuilder().setName("ghost").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getTrailers().get(NodeAgentService.ERROR_DETAIL).getCode())
                  .isEqualTo(ErrorCode.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("ghost");
            });
    assertThatThrownBy(
            () ->
                stub.deploy(DeployRequest.newBuilder().setSpec(fakeSpec("ok").clearKind()).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  private List<String> logLines(NodeAgentBlockingStub stub, int tail) {
    var lines = new java.util.ArrayList<String>();
    stub.logs(LogsRequest.newBuilder().setName("storage-1").setTailLines(tail).build())
        .forEachRemaining(c -> lines.addAll(c.getLinesList()));
    return lines;
  }

  private static long tickNumber(String line) {
    return line.startsWith("tick ") ? Long.parseLong(line.substring(5)) : -1;
  }

  private static String httpGet(String url) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    try (var in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }
}
