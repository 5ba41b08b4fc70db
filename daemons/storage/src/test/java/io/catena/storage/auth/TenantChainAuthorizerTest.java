package io.catena.storage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.chunk.InodeIds;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.storage.RequestAuthorizer.Access;
import io.catena.storage.chunk.ChunkId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantChainAuthorizerTest {

  /** Table 1 (two versions) lists chains 1-3, table 2 lists chains 3-4 (3 is shared). */
  private static ChainTableIndex index() {
    ChainTableIndex index = new ChainTableIndex();
    index.apply(
        RoutingInfo.newBuilder()
            .addChainTables(table(1, 1, 1, 2))
            .addChainTables(table(1, 2, 1, 2, 3))
            .addChainTables(table(2, 1, 3, 4))
            .build());
    return index;
  }

  private static ChainTableInfo table(int id, int version, Integer... chains) {
    return ChainTableInfo.newBuilder()
        .setTableId(id)
        .setVersion(version)
        .addAllChainIds(java.util.List.of(chains))
        .build();
  }

  private static final Map<String, TokenGrant> GRANTS =
      Map.of(
          "t1", new TokenGrant(10, false, Set.of(1)),
          "t2", new TokenGrant(20, false, Set.of(2)),
          "none", new TokenGrant(30, false, Set.of()),
          "admin", new TokenGrant(0, true, Set.of()));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a tenant reaches the chains of its table            | t1      | 1 | true
          ... including chains only an older version lists    | t1      | 2 | true
          ... and chains its table shares with another        | t1      | 3 | true
          a tenant is refused the chains of another's table   | t1      | 4 | false
          the other tenant likewise                           | t2      | 1 | false
          the other tenant reaches its own                    | t2      | 4 | true
          a chain no table lists is refused                   | t1      | 9 | false
          a tenant without tables reaches nothing             | none    | 1 | false
          an admin token reaches every chain                  | admin   | 9 | true
          an unknown token is refused                         | forged  | 1 | false
          an empty token is refused                           | ''      | 1 | false
          """)
  void decides(String why, String token, int chain, boolean allowed) {
    TenantChainAuthorizer authorizer =
        new TenantChainAuthorizer(t -> Optional.ofNullable(GRANTS.get(t)), index());
    // a chunk of the token's own tenant (admin and unknown tokens: tenant 10's)
    long tenant =
        GRANTS.containsKey(token) && !token.equals("admin") ? GRANTS.get(token).tenantId() : 10;
    ChunkId chunk = ChunkId.of(InodeIds.of(tenant, 77), 3);
    assertThat(authorizer.allows(token, chain, chunk, Access.READ)).as(why).isEqualTo(allowed);
    assertThat(authorizer.allows(token, chain, chunk, Access.WRITE)).as(why).isEqualTo(allowed);
  }

  /** Legacy inode 5 (created before ids carried the tenant) belongs to tenant 10 in "meta". */
  private static LegacyInodeOwners legacy() {
    return new LegacyInodeOwners(
        (token, inode) ->
            token.equals("meta-down")
                ? Optional.empty()
                : Optional.of(inode == 5 && GRANTS.get(token).tenantId() == 10),
        System::nanoTime);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a tenant reaches its own inode's chunk              | t1    | 10  | 1  | true  |
          another tenant's chunk is refused (same chain)      | t1    | 20  | 1  | false | belongs to inode 5910974510923781 of tenant 20, not to the token's tenant 10
          ... also for the other tenant                       | t2    | 10  | 3  | false | of tenant 10, not to the token's tenant 20
          the system tenant's chunks are refused to tenants   | t1    | 0   | 1  | false | of tenant 0, not to the token's tenant 10
          an admin reaches any tenant's chunk                 | admin | 20  | 9  | true  |
          a legacy chunk its tenant owns is allowed           | t1    | -1  | 1  | true  |
          a legacy chunk of another tenant is refused         | t2    | -1  | 3  | false | which is not the token's tenant 20's
          a legacy chunk is refused while meta cannot answer  | meta-down | -1 | 1 | false | meta cannot be asked
          """)
  void checksTheChunksOwner(
      String why, String token, long owner, int chain, boolean allowed, String message) {
    var grants = new java.util.HashMap<>(GRANTS);
    grants.put("meta-down", GRANTS.get("t1"));
    TenantChainAuthorizer authorizer =
        new TenantChainAuthorizer(t -> Optional.ofNullable(grants.get(t)), index(), legacy());
    long inode = owner < 0 ? 5 : InodeIds.of(owner, 5);
    ChunkId chunk = ChunkId.of(inode, 0);
    assertThat(authorizer.allows(token, chain, chunk, Access.READ)).as(why).isEqualTo(allowed);
    assertThat(authorizer.allows(token, chain, chunk, Access.WRITE)).as(why).isEqualTo(allowed);
    String refusal = authorizer.refusal(token, chain, chunk, Access.WRITE);
    if (allowed) {
      assertThat(refusal).as(why).isNull();
    } else {
      assertThat(refusal).as(why).contains(message);
    }
  }

  @org.junit.jupiter.api.Test
  void tenantTokensReachOnlyFileChunkIdsAndSayWhyTheyAreRefused() {
    TenantChainAuthorizer authorizer =
        new TenantChainAuthorizer(t -> Optional.ofNullable(GRANTS.get(t)), index());
    ChunkId opaque = ChunkId.of(new byte[] {1, 2, 3});
    assertThat(authorizer.refusal("t1", 1, opaque, Access.READ)).contains("not a file chunk id");
    assertThat(authorizer.refusal("admin", 1, opaque, Access.READ)).isNull();
    assertThat(authorizer.refusal("forged", 1, opaque, Access.READ))
        .contains("unknown, revoked or expired");
    assertThat(authorizer.refusal("", 1, opaque, Access.READ)).contains("no tenant token");
    assertThat(authorizer.refusal("t1", 4, ChunkId.of(InodeIds.of(10, 1), 0), Access.READ))
        .contains("tenant 10 may not use chain 4");
    // without a legacy lookup, legacy chunks are refused to tenants
    assertThat(authorizer.refusal("t1", 1, ChunkId.of(5, 0), Access.READ))
        .contains("which is not the token's tenant 10's");
  }
}
