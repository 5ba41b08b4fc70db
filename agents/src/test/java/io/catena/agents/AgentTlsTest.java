package io.catena.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.protocol.agent.FactsRequest;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.NodeAgentGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production mode: NodeAgent over TLS with client certificates required (mutual TLS). */
class AgentTlsTest {

  @TempDir static Path certs;
  @TempDir Path root;
  private static TestCertificates agentCert;
  private static TestCertificates controlPlaneCert;
  private final AgentClients clients = new AgentClients();
  private NodeAgent agent;
  private FakeControlPlane controlPlane;

  @BeforeAll
  static void makeCertificates() throws Exception {
    agentCert = TestCertificates.create(certs, "agent");
    controlPlaneCert = TestCertificates.create(certs, "control-plane");
  }

  @AfterEach
  void tearDown() {
    clients.close();
    if (agent != null) {
      agent.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  private NodeAgentGrpc.NodeAgentBlockingStub stub(ChannelCredentials credentials) {
    return NodeAgentGrpc.newBlockingStub(clients.channel(agent.endpoint(), credentials))
        .withDeadlineAfter(java.time.Duration.ofSeconds(20));
  }

  private static ChannelCredentials controlPlaneClient() throws Exception {
    return TlsChannelCredentials.newBuilder()
        .trustManager(agentCert.cert().toFile())
        .keyManager(controlPlaneCert.cert().toFile(), controlPlaneCert.key().toFile())
        .build();
  }

  @Test
  void configuredPemFilesServeMutualTlsAndRefusePlainOrAnonymousClients() throws Exception {
    agent =
        NodeAgent.start(
            AgentConfig.local(root)
                .withTls(
                    new TlsFiles(
                        agentCert.cert(), agentCert.key(), Optional.of(controlPlaneCert.cert()))));

    assertThat(agent.tls()).isTrue();
    assertThat(stub(controlPlaneClient()).facts(FactsRequest.getDefaultInstance()).getCpus())
        .isPositive();
    assertThatThrownBy(
            () ->
                stub(InsecureChannelCredentials.create()).facts(FactsRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
    ChannelCredentials noClientCert =
        TlsChannelCredentials.newBuilder().trustManager(agentCert.cert().toFile()).build();
    assertThatThrownBy(() -> stub(noClientCert).facts(FactsRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void aCertificateIssuedAtJoinIsStoredAndServedWithAndReusedOnTheNextStart() throws Exception {
    controlPlane =
        new FakeControlPlane(
            "t",
            JoinReply.newBuilder()
                .setNodeId("node-1")
                .setCertChainPem(agentCert.certPem())
                .setPrivateKeyPem(agentCert.keyPem())
                .setCaCertPem(controlPlaneCert.certPem())
                .build());
    AgentConfig config =
        AgentConfig.local(root)
            .withControlPlane(
                new ControlPlaneConfig(
                    controlPlane.address(), "t", Optional.empty(), Duration.ofSeconds(30)));

    agent = NodeAgent.start(config);

    assertThat(agent.tls()).isTrue();
    assertThat(root.resolve("tls/agent.crt")).hasContent(agentCert.certPem().strip());
    assertThat(root.resolve("tls/agent.key")).exists();
    assertThat(controlPlane.joins.getFirst().getAgentEndpoint())
        .isEqualTo(agent.endpoint().toString());
    assertThat(stub(controlPlaneClient()).facts(FactsRequest.getDefaultInstance()).getCpus())
        .isPositive();

    agent.close();
    agent = NodeAgent.start(config);
    assertThat(controlPlane.joins.get(1).getAgentTls()).as("stored certificate reused").isTrue();
    assertThat(stub(controlPlaneClient()).facts(FactsRequest.getDefaultInstance()).getCpus())
        .isPositive();
  }

  @Test
  void plainGrpcOffLoopbackIsRefused() {
    AgentConfig config =
        new AgentConfig(
            root,
            new HostPort("0.0.0.0", 0),
            0,
            Optional.empty(),
            java.util.Map.of(),
            java.util.List.of(),
            Optional.empty(),
            Optional.empty(),
            BackoffPolicy.DEFAULT,
            "test");

    assertThatThrownBy(() -> NodeAgent.start(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback only");
  }
}
