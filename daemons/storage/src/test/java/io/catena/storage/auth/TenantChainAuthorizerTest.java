package io.catena.storage.auth;

import static org.assertj.core.api.Assertions.assertThat;

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
    ChunkId chunk = ChunkId.of(1, 0);
    assertThat(authorizer.allows(token, chain, chunk, Access.READ)).as(why).isEqualTo(allowed);
    assertThat(authorizer.allows(token, chain, chunk, Access.WRITE)).as(why).isEqualTo(allowed);
  }
}
