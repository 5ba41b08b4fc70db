package io.catena.storage.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import io.catena.protocol.storage.RemoveTargetRequest;
import io.catena.protocol.storage.StorageAdminServiceGrpc;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.SyncDoneRequest;
import io.catena.protocol.storage.UpdateRequest;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chunk.ChunkId;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * A chain of three storage daemons on mutual TLS with node certificates of one cluster CA: the
 * chain replicates between them, and the peer and admin RPCs refuse anyone else. Each refusal here
 * was accepted before storage knew who calls.
 */
class StoragePeerSecurityTest {

  @TempDir Path dir;
  private CertificateAuthority ca;
  private LocalChain chain;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ca = CertificateAuthority.openOrCreate(dir.resolve("ca"), "test", Clock.systemUTC());
    List<TransportSecurity> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(holder(PeerIdentity.node("node-" + (i + 1))));
    }
    chain = new LocalChain(dir.resolve("data"), 3, RequestAuthorizer.allowAll(), nodes::get);
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    chain.close();
  }

  @Test
  void aClientWithoutACertificateWritesThroughTheChainOverTls() throws Exception {
    ChunkId id = ChunkId.of(7, 0);
    try (StorageTestClient client =
        new StorageTestClient(
            chain::view,
            Duration.ofSeconds(30),
            TransportSecurity.trusting(ca()).channelCredentials(chain.servers[0].address()))) {
      WriteResponse w = client.write(id, 0, bytes("over tls"), "c", 1);
      assertThat(w.hasError()).as(w.toString()).isFalse();
      assertThat(client.read(chain.servers[2].address(), id).getData().toStringUtf8())
          .as("the tail has it: Update travelled between node certificates")
          .isEqualTo("over tls");
    }
  }

  @Test
  void anUpdateWithoutANodeCertificateIsRefusedAndWritesNothing() throws Exception {
    StorageServiceGrpc.StorageServiceBlockingStub anonymous =
        StorageServiceGrpc.newBlockingStub(tlsChannel(TransportSecurity.trusting(ca()), 2));
    UpdateRequest forged =
        UpdateRequest.newBuilder()
            .setChainId(LocalChain.CHAIN)
            .setChainVersion(chain.view().version())
            .setTargetId(LocalChain.targetId(2))
            .setChunkId(ByteString.copyFrom(ChunkId.of(9, 0).toBytes()))
            .setUpdateVersion(1)
            .setData(ByteString.copyFrom(bytes("forged")))
            .build();
    assertRefused(() -> anonymous.update(forged), Status.Code.UNAUTHENTICATED);
    assertRefused(
        () ->
            anonymous.syncDone(
                SyncDoneRequest.newBuilder()
                    .setChainId(LocalChain.CHAIN)
                    .setChainVersion(chain.view().version())
                    .setTargetId(LocalChain.targetId(2))
                    .build()),
        Status.Code.UNAUTHENTICATED);
    assertThat(
            chain
                .servers[2]
                .replicator()
                .target(LocalChain.targetId(2))
                .orElseThrow()
                .engine()
                .allMetas())
        .as("nothing landed")
        .isEmpty();
  }

  @Test
  void removingATargetNeedsTheControlPlaneNotANodeOrNobody() throws Exception {
    RemoveTargetRequest remove =
        RemoveTargetRequest.newBuilder().setTargetId(LocalChain.targetId(1)).build();
    assertRefused(
        () ->
            StorageAdminServiceGrpc.newBlockingStub(tlsChannel(TransportSecurity.trusting(ca()), 1))
                .removeTarget(remove),
        Status.Code.UNAUTHENTICATED);
    TransportSecurity otherNode = holder(PeerIdentity.node("node-9"));
    assertRefused(
        () ->
            StorageAdminServiceGrpc.newBlockingStub(tlsChannel(otherNode, 1)).removeTarget(remove),
        Status.Code.PERMISSION_DENIED);
    assertThat(Files.isDirectory(chain.root.resolve("target-1"))).isTrue();
  }

  @Test
  void aPlainTextClientOnTheTlsPortGetsNoAnswer() {
    ManagedChannel plain =
        Grpc.newChannelBuilder(chain.servers[0].address(), InsecureChannelCredentials.create())
            .build();
    channels.add(plain);
    assertThatThrownBy(
            () ->
                StorageServiceGrpc.newBlockingStub(plain)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .targetStats(
                        io.catena.protocol.storage.TargetStatsRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  private static void assertRefused(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  private ManagedChannel tlsChannel(TransportSecurity who, int server) {
    String address = chain.servers[server].address();
    ManagedChannel ch = Grpc.newChannelBuilder(address, who.channelCredentials(address)).build();
    channels.add(ch);
    return ch;
  }

  private Path ca() {
    return dir.resolve("ca").resolve(CertificateAuthority.CERT_FILE);
  }

  private TransportSecurity holder(PeerIdentity who) throws Exception {
    return TransportSecurity.tls(
        ca.issue(who, List.of("127.0.0.1", "localhost"), Duration.ofDays(1))
            .writeTo(
                TlsIdentityFiles.in(dir.resolve("certs").resolve(who.name())),
                ca.certificatePem()));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
