package io.catena.controlplane.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.security.JoinTokens;
import io.catena.controlplane.security.NodeCertificates;
import io.catena.protocol.agent.Disk;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.catena.protocol.agent.NodeFacts;
import io.catena.protocol.agent.RenewRequest;
import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.CertificateRequests;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.Pem;
import io.catena.protocol.security.SecretFiles;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

  private final MutableClock clock = new MutableClock();

  private ControlPlaneRegistryService service(
      String token, AgentRegistry registry, Runnable onJoin) {
    return new ControlPlaneRegistryService(tokens(token), Optional.empty(), registry, onJoin);
  }

  private JoinTokens tokens(String token) {
    try {
      SecretFiles.writeSecret(
          dir.resolve("join.token"),
          token + "\nexpires=" + clock.instant().plus(Duration.ofHours(1)) + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new JoinTokens(dir.resolve("join.token"), clock);
  }

  @Test
  void anExpiredOrRotatedTokenIsRefused() {
    AgentRegistry registry = new AgentRegistry(null);
    JoinTokens tokens = tokens("t");
    ControlPlaneRegistryService service =
        new ControlPlaneRegistryService(tokens, Optional.empty(), registry, () -> {});
    clock.advance(Duration.ofHours(2));
    Recorder expired = new Recorder();
    service.join(join("t", "node-1", "", "h"), expired);
    assertThat(Status.fromThrowable(expired.error).getDescription()).contains("expired");

    String fresh = tokens.rotate(Duration.ofHours(1)).secret();
    Recorder old = new Recorder();
    service.join(join("t", "node-1", "", "h"), old);
    assertThat(Status.fromThrowable(old.error).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    Recorder ok = new Recorder();
    service.join(join(fresh, "node-1", "", "h"), ok);
    assertThat(ok.error).isNull();
    assertThat(registry.all()).hasSize(1);
  }

  @Test
  void aControlPlaneWithACaSignsTheAgentsRequestForTheNodeItNamedAndItsAddress() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test", Clock.systemUTC());
    ControlPlaneRegistryService service =
        new ControlPlaneRegistryService(
            tokens("t"),
            Optional.of(new NodeCertificates(ca, Duration.ofDays(1))),
            new AgentRegistry(null),
            () -> {});
    Recorder noRequest = new Recorder();
    service.join(join("t", "node-1", "", "h"), noRequest);
    assertThat(Status.fromThrowable(noRequest.error).getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);

    KeyPair keys = CertificateRequests.newKeyPair();
    Recorder r = new Recorder();
    service.join(
        join("t", "node-1", "", "h").toBuilder()
            // the request asks for another name: the control plane decides the identity
            .setCsrPem(CertificateRequests.requestPem(keys, "node-99"))
            .build(),
        r);
    assertThat(r.error).isNull();
    X509Certificate cert = Pem.certificates(r.replies.getFirst().getCertChainPem()).getFirst();
    assertThat(PeerIdentity.of(cert)).contains(PeerIdentity.node("node-1"));
    assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(cert.getSubjectAlternativeNames().toString()).contains("127.0.0.1");
    cert.verify(ca.certificate().getPublicKey());

    Recorder rejoin = new Recorder();
    io.grpc.Context.current()
        .withValue(PeerIdentity.CALLER, PeerIdentity.node("node-1"))
        .run(() -> service.join(join("expired-or-rotated", "node-1", "node-1", "h"), rejoin));
    assertThat(rejoin.error)
        .as("a node re-joining with its certificate needs neither token nor request")
        .isNull();
    assertThat(rejoin.replies.getFirst().getCertChainPem()).isEmpty();

    Recorder renewal = new Recorder();
    service.renew(
        RenewRequest.newBuilder().setCsrPem(CertificateRequests.requestPem(keys, "x")).build(),
        renewal);
    assertThat(Status.fromThrowable(renewal.error).getCode())
        .as("renewing needs the node certificate")
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aBadTokenIsRefusedAndNothingIsRecorded() {
    AgentRegistry registry = new AgentRegistry(dir.resolve("agents.json"));
    AtomicInteger joins = new AtomicInteger();
    Recorder r = new Recorder();
    service("right", registry, joins::incrementAndGet).join(join("wrong", "node-1", "", "h"), r);
    assertThat(Status.fromThrowable(r.error).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(registry.all()).isEmpty();
    assertThat(joins).hasValue(0);
  }

  @Test
  void anAgentIsNamedByItsNodeLabelThenItsFormerIdThenItsHostAndSurvivesARestart() {
    AgentRegistry registry = new AgentRegistry(dir.resolve("agents.json"));
    AtomicInteger joins = new AtomicInteger();
    ControlPlaneRegistryService service = service("t", registry, joins::incrementAndGet);
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
    service("t", new AgentRegistry(null), () -> {})
        .join(join("t", "n", "", "h").toBuilder().clearAgentEndpoint().build(), r);
    assertThat(r.error).isInstanceOf(StatusRuntimeException.class);
    assertThat(Status.fromThrowable(r.error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
