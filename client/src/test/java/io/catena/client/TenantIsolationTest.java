package io.catena.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.client.file.CatenaFile;
import io.catena.client.file.ChunkIds;
import io.catena.client.file.CreateOptions;
import io.catena.client.storage.ChunkRead;
import io.catena.client.storage.ChunkWrite;
import io.catena.client.testing.CatenaTestCluster;
import io.catena.meta.LegacyInodes;
import io.catena.protocol.chunk.InodeIds;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.meta.IssueTokenRequest;
import io.catena.protocol.meta.Quota;
import io.catena.protocol.meta.RevokeTokenRequest;
import io.catena.protocol.meta.RotateTokenRequest;
import io.catena.protocol.meta.TenantServiceGrpc;
import io.catena.protocol.meta.TokenReply;
import io.catena.protocol.meta.VerifyTokenRequest;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.storage.ChunkMetaInfo;
import io.catena.protocol.storage.QueryChunksRequest;
import io.catena.protocol.storage.RemoveRequest;
import io.catena.protocol.storage.RemoveResponse;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.storage.server.StorageServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tenant isolation on storage against a real in-process cluster whose storage daemons authorize as
 * {@code catena daemon storage --meta} does. Both tenants use chain table 1 (as every tenant of
 * {@code catena up} does), so only the chunk ownership check stands between them: a tenant that
 * guesses another tenant's chunk id is refused reading, writing and removing it, and nothing
 * changes, also for a file from before inode ids carried their tenant; a revoked or rotated token
 * is refused as soon as meta's push reached storage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {

  private static final int CHUNK = 64 * 1024;

  private CatenaTestCluster cluster;
  private CatenaClient alice;
  private CatenaClient bob;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  void start() {
    cluster =
        CatenaTestCluster.builder()
            .storageNodes(2)
            .replicas(2)
            .chains(2)
            .stripe(2)
            .tenantIsolation()
            .start();
    alice = cluster.newClient();
    bob =
        CatenaClient.connect(
            cluster.clientConfig(cluster.createTenant("bob", Quota.getDefaultInstance())));
  }

  @AfterAll
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (alice != null) {
      alice.close();
    }
    if (bob != null) {
      bob.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aGuessedChunkIdOfAnotherTenantIsRefusedForReadWriteAndRemoveAndNothingChanges()
      throws Exception {
    byte[] secret = bytes(2 * CHUNK, 1);
    long bobs;
    int chain;
    try (CatenaFile f =
        bob.files().create("/secret", CreateOptions.defaults().withChunkSize(CHUNK))) {
      assertThat(f.write(0, ByteBuffer.wrap(secret))).isEqualTo(secret.length);
      bobs = f.inodeId();
      chain = f.layout().chainOfChunk(0);
    }
    long alices;
    int alicesChain;
    try (CatenaFile f =
        alice.files().create("/mine", CreateOptions.defaults().withChunkSize(CHUNK))) {
      f.write(0, ByteBuffer.wrap(bytes(CHUNK, 2)));
      alices = f.inodeId();
      alicesChain = f.layout().chainOfChunk(0);
    }
    assertThat(InodeIds.tenantOf(bobs)).isNotEqualTo(InodeIds.tenantOf(alices));
    byte[] guessed = ChunkIds.of(bobs, 0);
    List<ChunkMetaInfo> before = replicasOf(bobs);
    assertThat(before).hasSize(2 * 2);

    // read, on gRPC and on the data channel
    long overDataChannel = alice.chunks().dataChannelStats().reads();
    long bytesOverDataChannel = alice.chunks().dataChannelStats().bytes();
    for (int length : new int[] {4096, CHUNK}) {
      ByteBuffer dst = ByteBuffer.allocate(length);
      assertDenied(() -> alice.chunks().read(new ChunkRead(chain, guessed, 0, length, dst)).join());
      assertThat(dst.position()).isZero();
    }
    assertThat(alice.chunks().dataChannelStats().reads() - overDataChannel)
        .as("the whole-chunk read was refused on the data channel")
        .isEqualTo(1);
    assertThat(alice.chunks().dataChannelStats().bytes()).isEqualTo(bytesOverDataChannel);
    // write: a range and the whole chunk
    assertDenied(
        () ->
            alice
                .chunks()
                .write(new ChunkWrite(chain, guessed, 10, ByteBuffer.wrap(bytes(100, 3))))
                .join());
    assertDenied(
        () ->
            alice
                .chunks()
                .write(new ChunkWrite(chain, guessed, 0, ByteBuffer.wrap(bytes(CHUNK, 4))))
                .join());
    // remove, straight to the chain's head
    RemoveResponse removed = removeAtHead(chain, guessed, cluster.tenantToken());
    assertThat(removed.getError().getCode()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(removed.getError().getMessage())
        .contains("belongs to inode " + bobs)
        .contains("not to the token's tenant");

    // nothing changed: every replica holds the same versions, bob reads his bytes back
    assertThat(replicasOf(bobs)).containsExactlyInAnyOrderElementsOf(before);
    try (CatenaFile f = bob.files().open("/secret", false)) {
      ByteBuffer back = ByteBuffer.allocate(secret.length);
      assertThat(f.read(0, back)).isEqualTo(secret.length);
      assertThat(back.array()).isEqualTo(secret);
    }
    // and each tenant still reaches its own chunks
    ByteBuffer own = ByteBuffer.allocate(100);
    assertThat(
            alice
                .chunks()
                .read(new ChunkRead(alicesChain, ChunkIds.of(alices, 0), 0, 100, own))
                .join())
        .isEqualTo(100);
    // an admin token (meta's GC, operators) reaches every tenant's chunks
    assertThat(
            removeAtHead(chain, ChunkIds.of(bobs + 1_000_000, 0), cluster.adminToken()).hasError())
        .isFalse();
  }

  @Test
  void aFileFromBeforeInodeIdsCarriedTheTenantStaysReachableByItsOwnerOnly() throws Exception {
    long bobsTenant = bob.files().whoAmI().getTenant().getId();
    long root = bob.files().stat("/").inodeId();
    long tagged;
    try (CatenaFile f = bob.files().create("/old", CreateOptions.defaults().withChunkSize(CHUNK))) {
      tagged = f.inodeId();
    }
    long legacy = LegacyInodes.makeLegacy(cluster.meta(), bobsTenant, root, "old", tagged);
    assertThat(InodeIds.isLegacy(legacy)).isTrue();

    byte[] data = bytes(2 * CHUNK, 7);
    int chain;
    try (CatenaFile f = bob.files().open("/old", true)) {
      assertThat(f.inodeId()).isEqualTo(legacy);
      assertThat(f.write(0, ByteBuffer.wrap(data))).isEqualTo(data.length);
      chain = f.layout().chainOfChunk(0);
    }
    try (CatenaFile f = bob.files().open("/old", false)) {
      ByteBuffer back = ByteBuffer.allocate(data.length);
      assertThat(f.read(0, back)).isEqualTo(data.length);
      assertThat(back.array()).isEqualTo(data);
    }

    byte[] guessed = ChunkIds.of(legacy, 0);
    List<ChunkMetaInfo> before = replicasOf(legacy);
    assertThat(before).hasSize(2 * 2);
    String why = "which is not the token's tenant";
    assertDenied(
        () ->
            alice
                .chunks()
                .read(new ChunkRead(chain, guessed, 0, CHUNK, ByteBuffer.allocate(CHUNK)))
                .join(),
        why);
    assertDenied(
        () ->
            alice
                .chunks()
                .write(new ChunkWrite(chain, guessed, 0, ByteBuffer.wrap(bytes(CHUNK, 8))))
                .join(),
        why);
    RemoveResponse removed = removeAtHead(chain, guessed, cluster.tenantToken());
    assertThat(removed.getError().getCode()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(removed.getError().getMessage()).contains(why);
    assertThat(replicasOf(legacy)).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void aRevokedOrRotatedTokenIsRefusedOnceMetaPushedTheRevocation() throws Exception {
    var admin = tenants(cluster.adminToken());
    long tenant =
        admin
            .verifyToken(VerifyTokenRequest.newBuilder().setToken(cluster.tenantToken()).build())
            .getTenantId();
    TokenReply revoked =
        admin.issueToken(IssueTokenRequest.newBuilder().setTenantId(tenant).build());
    TokenReply rotated =
        admin.issueToken(IssueTokenRequest.newBuilder().setTenantId(tenant).build());
    long inode;
    int chain;
    try (CatenaFile f =
        alice.files().create("/shared", CreateOptions.defaults().withChunkSize(CHUNK))) {
      f.write(0, ByteBuffer.wrap(bytes(CHUNK, 5)));
      inode = f.inodeId();
      chain = f.layout().chainOfChunk(0);
    }
    byte[] id = ChunkIds.of(inode, 0);
    try (CatenaClient viaRevoked =
            CatenaClient.connect(cluster.clientConfig().withToken(revoked.getToken()));
        CatenaClient viaRotated =
            CatenaClient.connect(cluster.clientConfig().withToken(rotated.getToken()))) {
      // both tokens work, and every storage daemon has their grants cached now
      for (CatenaClient c : List.of(viaRevoked, viaRotated)) {
        assertThat(readAt(c, chain, id)).isEqualTo(100);
      }
      long[] applied = applied();
      admin.revokeToken(RevokeTokenRequest.newBuilder().setTokenId(revoked.getTokenId()).build());
      admin.rotateToken(
          RotateTokenRequest.newBuilder()
              .setTokenId(rotated.getTokenId())
              .setGraceSeconds(0)
              .build());
      for (int n = 1; n <= cluster.storageNodes(); n++) {
        int node = n;
        CatenaTestCluster.await(
            "storage node " + n + " to apply both revocations",
            () ->
                cluster.tenantAuthorization(node).revocations().revocationsApplied()
                    >= applied[node] + 2);
      }
      for (CatenaClient c : List.of(viaRevoked, viaRotated)) {
        assertThatThrownBy(() -> readAt(c, chain, id))
            .isInstanceOfSatisfying(
                CatenaException.class,
                e -> {
                  assertThat(e.code()).isEqualTo(ClientErrorCode.PERMISSION_DENIED);
                  assertThat(e.getMessage()).contains("revoked");
                });
      }
      // the tenant's other token is untouched
      assertThat(readAt(alice, chain, id)).isEqualTo(100);
    }
  }

  private int readAt(CatenaClient c, int chain, byte[] id) {
    try {
      return c.chunks().read(new ChunkRead(chain, id, 0, 100, ByteBuffer.allocate(100))).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private long[] applied() {
    long[] applied = new long[cluster.storageNodes() + 1];
    for (int n = 1; n <= cluster.storageNodes(); n++) {
      applied[n] = cluster.tenantAuthorization(n).revocations().revocationsApplied();
    }
    return applied;
  }

  private static void assertDenied(Runnable call) {
    assertDenied(call, "not to the token's tenant");
  }

  private static void assertDenied(Runnable call, String why) {
    assertThatThrownBy(call::run)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            CatenaException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ClientErrorCode.PERMISSION_DENIED);
              assertThat(e.getMessage()).contains(why);
            });
  }

  private TenantServiceGrpc.TenantServiceBlockingStub tenants(String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return TenantServiceGrpc.newBlockingStub(channel(cluster.metaAddress()))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private RemoveResponse removeAtHead(int chain, byte[] id, String token) {
    ChainInfo info =
        cluster.routing().getChainsList().stream()
            .filter(c -> c.getChainId() == chain)
            .findFirst()
            .orElseThrow();
    int head = cluster.nodesOf(chain).getFirst();
    return StorageServiceGrpc.newBlockingStub(channel(cluster.storage(head).address()))
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .remove(
            RemoveRequest.newBuilder()
                .setChainId(chain)
                .setChainVersion(info.getVersion())
                .addChunkIds(com.google.protobuf.ByteString.copyFrom(id))
                .setToken(token)
                .build());
  }

  /** Every committed copy of {@code inode}'s chunks on every replica. */
  private List<ChunkMetaInfo> replicasOf(long inode) {
    List<ChunkMetaInfo> found = new ArrayList<>();
    for (int n = 1; n <= cluster.storageNodes(); n++) {
      StorageServer s = cluster.storage(n);
      var stub = StorageServiceGrpc.newBlockingStub(channel(s.address()));
      for (int chain : cluster.chainsOf(n)) {
        for (ChunkMetaInfo m :
            stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .queryChunks(
                    QueryChunksRequest.newBuilder()
                        .setTargetId(CatenaTestCluster.targetId(n, chain))
                        .build())
                .getChunksList()) {
          if (m.getChunkId().size() == 12
              && m.getChunkId().asReadOnlyByteBuffer().getLong() == inode) {
            found.add(m);
          }
        }
      }
    }
    return found;
  }

  private ManagedChannel channel(String address) {
    ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
    channels.add(ch);
    return ch;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
