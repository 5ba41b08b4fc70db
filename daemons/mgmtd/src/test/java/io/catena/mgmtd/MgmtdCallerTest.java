package io.catena.mgmtd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.mgmtd.cluster.MgmtdSettings;
import io.catena.protocol.mgmtd.AddNodeRequest;
import io.catena.protocol.mgmtd.AdminResponse;
import io.catena.protocol.mgmtd.DaemonKind;
import io.catena.protocol.mgmtd.DiskInfo;
import io.catena.protocol.mgmtd.HeartbeatRequest;
import io.catena.protocol.mgmtd.MgmtdAdminServiceGrpc;
import io.catena.protocol.mgmtd.MgmtdServiceGrpc;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mgmtd on mutual TLS: a heartbeat is taken only from the certificate of the node it speaks for,
 * and the admin service only from the control plane. A forged heartbeat could otherwise re-point a
 * node's address (clients would then send data and tokens there) or report its replicas current.
 */
class MgmtdCallerTest {

  @TempDir Path dir;
  private CertificateAuthority ca;
  private MgmtdServer mgmtd;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ca = CertificateAuthority.openOrCreate(dir.resolve("ca"), "test", Clock.systemUTC());
    mgmtd =
        MgmtdServer.start(
            new MgmtdConfig("m1", "127.0.0.1", 0, "127.0.0.1", "memory:", MgmtdSettings.local()),
            holder(PeerIdentity.node("node-1")));
    NodeInfo node =
        NodeInfo.newBuilder()
            .setNodeId(1)
            .setAddress("127.0.0.1:9001")
            .putLabels("node", "node-1")
            .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(1L << 30))
            .build();
    AdminResponse added =
        admin(holder(PeerIdentity.controlPlane("control-plane")))
            .addNode(AddNodeRequest.newBuilder().setNode(node).build());
    assertThat(added.hasError()).as(added.toString()).isFalse();
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    mgmtd.close();
  }

  @Test
  void aNodeHeartbeatsForItselfButNotForAnotherNode() throws Exception {
    assertThat(
            service(holder(PeerIdentity.node("node-1")))
                .heartbeat(beat("127.0.0.1:9001"))
                .hasError())
        .isFalse();

    assertThatThrownBy(
            () -> service(holder(PeerIdentity.node("node-2"))).heartbeat(beat("127.0.0.1:6666")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).contains("node-2").contains("node 1");
            });
    assertThat(mgmtd.cluster().topology().node(io.catena.topology.NodeId.of(1)).address())
        .as("the forged heartbeat did not re-point the node")
        .isEqualTo("127.0.0.1:9001");
  }

  @Test
  void aHeartbeatOrAnAdminCallWithoutACertificateIsRefused() throws Exception {
    TransportSecurity anonymous = TransportSecurity.trusting(dir.resolve("ca").resolve("ca.crt"));
    assertThatThrownBy(() -> service(anonymous).heartbeat(beat("127.0.0.1:6666")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThatThrownBy(
            () ->
                admin(holder(PeerIdentity.node("node-1")))
                    .addNode(
                        AddNodeRequest.newBuilder()
                            .setNode(NodeInfo.newBuilder().setNodeId(5).setAddress("x:1"))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  private static HeartbeatRequest beat(String address) {
    return HeartbeatRequest.newBuilder()
        .setDaemonId("storage-1")
        .setKind(DaemonKind.STORAGE)
        .setNodeId(1)
        .setAddress(address)
        .build();
  }

  private MgmtdServiceGrpc.MgmtdServiceBlockingStub service(TransportSecurity who) {
    return MgmtdServiceGrpc.newBlockingStub(channel(who)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private MgmtdAdminServiceGrpc.MgmtdAdminServiceBlockingStub admin(TransportSecurity who) {
    return MgmtdAdminServiceGrpc.newBlockingStub(channel(who))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private ManagedChannel channel(TransportSecurity who) {
    String address = "127.0.0.1:" + mgmtd.port();
    ManagedChannel ch = Grpc.newChannelBuilder(address, who.channelCredentials(address)).build();
    channels.add(ch);
    return ch;
  }

  private TransportSecurity holder(PeerIdentity who) throws Exception {
    return TransportSecurity.tls(
        ca.issue(who, List.of("127.0.0.1"), Duration.ofDays(1))
            .writeTo(
                TlsIdentityFiles.in(
                    dir.resolve("certs").resolve(who.role().id() + "-" + who.name())),
                ca.certificatePem()));
  }
}
