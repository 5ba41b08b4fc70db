package io.catena.controlplane.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.agent.Disk;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.catena.protocol.agent.NodeFacts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneRegistryServiceTest {

  @TempDir Path dir;

  private static final class Recorder implements StreamObserver<JoinReply> {
    final List<JoinReply> replies = new ArrayList<>();
    Throwable error;

    @Override
    public void onNext(JoinReply value) {
      replies.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}
  }

  private static JoinRequest join(String token, String label, String nodeId, String host) {
    NodeFacts.Builder facts =
        NodeFacts.newBuilder()
            .setHostname(host)
            .addDisks(Disk.newBuilder().setMountPoint("/data").setTotalBytes(100).setFreeBytes(40));
    if (label != null) {
      facts.putLabels("node", label);
    }
    return JoinRequest.newBuilder()
        .setJoinToken(token)
        .setAgentEndpoint("127.0.0.1:7000")
        .setNodeId(nodeId)
        .setFacts(facts)
        .build();
  }

  @Test
  void aBadTokenIsRefusedAndNothingIsRecorded() {
    AgentRegistry registry = new AgentRegistry(dir.resolve("agents.json"));
    AtomicInteger joins = new AtomicInteger();
    Recorder r = new Recorder();
    new ControlPlaneRegistryService("right", registry, joins::incrementAndGet)
        .join(join("wrong", "node-1", "", "h"), r);
    assertThat(Status.fromThrowable(r.error).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(registry.all()).isEmpty();
    assertThat(joins).hasValue(0);
  }

  @Test
  void anAgentIsNamedByItsNodeLabelThenItsFormerIdThenItsHostAndSurvivesARestart() {
    AgentRegistry registry = new AgentRegistry(dir.resolve("agents.json"));
    AtomicInteger joins = new AtomicInteger();
    ControlPlaneRegistryService service =
        new ControlPlaneRegistryService("t", registry, joins::incrementAndGet);
    Recorder r = new Recorder();
    service.join(join("t", "node-1", "old", "h1"), r);
    service.join(join("t", null, "node-2", "h2"), r);
    service.join(join("t", null, "", "h3"), r);
    assertThat(r.error).isNull();
    assertThat(r.replies)
        .extracting(JoinReply::getNodeId)
        .containsExactly("node-1", "node-2", "h3");
    assertThat(joins).hasValue(3);

    AgentRegistry reloaded = new AgentRegistry(dir.resolve("agents.json"));
    JoinedNode node = reloaded.find("node-1").orElseThrow();
    assertThat(node.agentEndpoint()).isEqualTo("127.0.0.1:7000");
    assertThat(node.host()).isEqualTo("127.0.0.1");
    assertThat(node.disks()).containsExactly(new JoinedNode.DiskFact("/data", 100, 40));
  }

  @Test
  void missingEndpointIsBadInput() {
    Recorder r = new Recorder();
    new ControlPlaneRegistryService("t", new AgentRegistry(null), () -> {})
        .join(join("t", "n", "", "h").toBuilder().clearAgentEndpoint().build(), r);
    assertThat(r.error).isInstanceOf(StatusRuntimeException.class);
    assertThat(Status.fromThrowable(r.error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
