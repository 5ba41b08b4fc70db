package io.catena.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.protocol.agent.FactsRequest;
import io.catena.protocol.agent.NodeAgentGrpc;
import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
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
  void aNodeCertificateIssuedAtJoinServesMutualTlsForTheControlPlaneOnlyAndIsRenewed()
      throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.openOrCreate(certs.resolve("ca"), "test", Clock.systemUTC());
    TransportSecurity cpIdentity = issue(ca, PeerIdentity.controlPlane("cp"), "cp");
    controlPlane = new FakeControlPlane("t", ca, cpIdentity);
    AgentConfig config =
        AgentConfig.local(root)
            .withControlPlane(
                new ControlPlaneConfig(
                    controlPlane.address(),
                    "t",
                    Optional.of(certs.resolve("ca").resolve(CertificateAuthority.CERT_FILE)),
                    Duration.ofSeconds(30)));

    agent = NodeAgent.start(config);

    assertThat(agent.tls()).isTrue();
    assertThat(controlPlane.joins.getFirst().getCsrPem()).contains("CERTIFICATE REQUEST");
    assertThat(root.resolve("tls/node.crt")).exists();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("tls/node.key"))))
        .isEqualTo("rw-------");
    assertThat(stub(cpIdentity.channelCredentials("127.0.0.1")).facts(facts()).getCpus())
        .isPositive();
    TransportSecurity anotherNode = issue(ca, PeerIdentity.node("node-9"), "node-9");
    assertThatThrownBy(() -> stub(anotherNode.channelCredentials("127.0.0.1")).facts(facts()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));

    String before = Files.readString(root.resolve("tls/node.crt"));
    agent.renewCertificate();
    assertThat(controlPlane.renewedFor).containsExactly("node-1");
    assertThat(Files.readString(root.resolve("tls/node.crt"))).isNotEqualTo(before);

    agent.close();
    agent = NodeAgent.start(config);
    assertThat(controlPlane.joins.get(1).getCsrPem()).as("stored certificate reused").isEmpty();
    assertThat(stub(cpIdentity.channelCredentials("127.0.0.1")).facts(facts()).getCpus())
        .isPositive();
  }

  private static FactsRequest facts() {
    return FactsRequest.getDefaultInstance();
  }

  private static TransportSecurity issue(CertificateAuthority ca, PeerIdentity who, String dir)
      throws Exception {
    return TransportSecurity.tls(
        ca.issue(who, java.util.List.of("127.0.0.1"), Duration.ofDays(1))
            .writeTo(TlsIdentityFiles.in(certs.resolve(dir)), ca.certificatePem()));
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
