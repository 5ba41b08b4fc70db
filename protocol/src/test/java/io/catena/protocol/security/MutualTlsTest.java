package io.catena.protocol.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.protocol.mgmtd.GetPrimaryRequest;
import io.catena.protocol.mgmtd.GetPrimaryResponse;
import io.catena.protocol.mgmtd.MgmtdServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gRPC server on mutual TLS with the cluster CA's certificates: who may call what, and what a
 * caller without the right certificate gets.
 */
class MutualTlsTest {

  @TempDir Path dir;
  private CertificateAuthority ca;
  private Server server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ca = CertificateAuthority.openOrCreate(dir.resolve("ca"), "test", Clock.systemUTC());
    TlsIdentityFiles serverFiles =
        ca.issue(PeerIdentity.node("node-1"), List.of("127.0.0.1", "localhost"), Duration.ofDays(1))
            .writeTo(TlsIdentityFiles.in(dir.resolve("server")), ca.certificatePem());
    TransportSecurity tls = TransportSecurity.tls(serverFiles);
    CallerInterceptor callers =
        CallerInterceptor.builder()
            .require(MgmtdServiceGrpc.getGetPrimaryMethod(), PeerIdentity.Role.NODE)
            .build();
    server =
        Grpc.newServerBuilderForPort(0, tls.serverCredentials("127.0.0.1"))
            .addService(ServerInterceptors.intercept(new WhoCalls(), callers))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void theCaKeyIsOwnerOnlyAndReopensAsTheSameCa() throws Exception {
    Path key = dir.resolve("ca").resolve(CertificateAuthority.KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    CertificateAuthority again =
        CertificateAuthority.openOrCreate(dir.resolve("ca"), "test", Clock.systemUTC());
    assertThat(again.certificate()).isEqualTo(ca.certificate());
  }

  @Test
  void aNodeCertificateCallsANodeOnlyMethodAndTheServerKnowsWhichNode() throws Exception {
    GetPrimaryResponse reply = stub(holder(PeerIdentity.node("node-7"))).getPrimary(req());
    assertThat(reply.getPrimaryId()).isEqualTo("catena://node/node-7");
  }

  @Test
  void aCallerWithoutACertificateIsRefusedAsUnauthenticated() throws Exception {
    ManagedChannel ch =
        channel(
            TlsChannelCredentials.newBuilder()
                .trustManager(dir.resolve("server").resolve("ca.crt").toFile())
                .build());
    assertThatThrownBy(() -> MgmtdServiceGrpc.newBlockingStub(ch).getPrimary(req()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains("role node");
            });
  }

  @Test
  void aCertificateOfAnotherRoleIsRefused() throws Exception {
    assertThatThrownBy(() -> stub(holder(PeerIdentity.controlPlane("cp"))).getPrimary(req()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void aPlainTextClientOnTheTlsPortGetsNoAnswer() {
    ManagedChannel ch = channel(InsecureChannelCredentials.create());
    assertThatThrownBy(
            () ->
                MgmtdServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getPrimary(req()))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void anExpiredCertificateFailsTheHandshake() throws Exception {
    Clock lastMonth = Clock.fixed(Instant.now().minus(Duration.ofDays(30)), ZoneOffset.UTC);
    CertificateAuthority sameCaInThePast =
        CertificateAuthority.openOrCreate(dir.resolve("ca"), "test", lastMonth);
    TlsIdentityFiles expired =
        sameCaInThePast
            .issue(PeerIdentity.node("node-old"), List.of("127.0.0.1"), Duration.ofDays(1))
            .writeTo(TlsIdentityFiles.in(dir.resolve("expired")), ca.certificatePem());
    assertThatThrownBy(
            () ->
                stub(TransportSecurity.tls(expired))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getPrimary(req()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void aCertificateOfAnotherCaFailsTheHandshake() throws Exception {
    CertificateAuthority other = CertificateAuthority.create("other", Clock.systemUTC());
    TlsIdentityFiles foreign =
        other
            .issue(PeerIdentity.node("node-1"), List.of("127.0.0.1"), Duration.ofDays(1))
            .writeTo(TlsIdentityFiles.in(dir.resolve("foreign")), ca.certificatePem());
    assertThatThrownBy(
            () ->
                stub(TransportSecurity.tls(foreign))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getPrimary(req()))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void plainTextIsRefusedOffLoopback() {
    assertThatThrownBy(() -> TransportSecurity.plaintext().serverCredentials("198.18.0.1"))
        .hasMessageContaining("loopback only");
    assertThatThrownBy(() -> TransportSecurity.plaintext().channelCredentials("10.1.2.3:9000"))
        .hasMessageContaining("loopback only");
    assertThat(TransportSecurity.plaintext().channelCredentials("127.0.0.1:9000")).isNotNull();
    assertThat(Loopback.is("127.0.0.1:1,localhost:2")).isTrue();
    assertThat(Loopback.is("127.0.0.1:1,198.18.0.2:2")).isFalse();
  }

  @Test
  void aRequestWhoseSignatureDoesNotVerifyIsNotSigned() {
    var keys = CertificateRequests.newKeyPair();
    var other = CertificateRequests.newKeyPair();
    String honest = CertificateRequests.requestPem(keys, "n");
    assertThat(
            ca.sign(
                    Pem.certificationRequest(honest),
                    PeerIdentity.node("n"),
                    List.of(),
                    Duration.ofDays(1))
                .getPublicKey())
        .isEqualTo(keys.getPublic());
    assertThatThrownBy(() -> Pem.certificationRequest("not pem"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(other).isNotNull();
  }

  private TransportSecurity holder(PeerIdentity who) throws Exception {
    return TransportSecurity.tls(
        ca.issue(who, List.of("127.0.0.1"), Duration.ofDays(1))
            .writeTo(TlsIdentityFiles.in(dir.resolve(who.name())), ca.certificatePem()));
  }

  private MgmtdServiceGrpc.MgmtdServiceBlockingStub stub(TransportSecurity client) {
    return MgmtdServiceGrpc.newBlockingStub(channel(client.channelCredentials("127.0.0.1")));
  }

  private ManagedChannel channel(io.grpc.ChannelCredentials credentials) {
    ManagedChannel ch =
        Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), credentials).build();
    channels.add(ch);
    return ch;
  }

  private static GetPrimaryRequest req() {
    return GetPrimaryRequest.getDefaultInstance();
  }

  /** Answers with the caller's identity. */
  private static final class WhoCalls extends MgmtdServiceGrpc.MgmtdServiceImplBase {
    @Override
    public void getPrimary(GetPrimaryRequest request, StreamObserver<GetPrimaryResponse> reply) {
      reply.onNext(
          GetPrimaryResponse.newBuilder()
              .setPrimaryId(PeerIdentity.caller().map(PeerIdentity::uri).orElse("nobody"))
              .build());
      reply.onCompleted();
    }
  }
}
