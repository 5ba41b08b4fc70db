package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.RoutingInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MgmtdChainTableCatalogTest {

  private static ChainTableInfo table(int id, int version, Integer... chains) {
    return ChainTableInfo.newBuilder()
        .setTableId(id)
        .setVersion(version)
        .addAllChainIds(List.of(chains))
        .build();
  }

  @Test
  void followsNewVersionsAndKeepsEveryVersionItSaw() throws Exception {
    MgmtdChainTableCatalog catalog = MgmtdChainTableCatalog.detached();
    assertThat(catalog.latest(1)).isEmpty();
    assertThat(catalog.awaitFirstRouting(Duration.ZERO)).isFalse();

    catalog.apply(RoutingInfo.newBuilder().setVersion(3).addChainTables(table(1, 1, 1, 2)).build());
    assertThat(catalog.awaitFirstRouting(Duration.ZERO)).isTrue();
    assertThat(catalog.latest(1)).contains(new ChainTable(1, 1, List.of(1, 2)));

    // A later routing info lists only the new version: files of version 1 still resolve.
    catalog.apply(
        RoutingInfo.newBuilder()
            .setVersion(7)
            .addChainTables(table(1, 2, 1, 2, 3))
            .addChainTables(table(2, 1, 9))
            .build());
    assertThat(catalog.latest(1)).contains(new ChainTable(1, 2, List.of(1, 2, 3)));
    assertThat(catalog.find(1, 1)).contains(new ChainTable(1, 1, List.of(1, 2)));
    assertThat(catalog.find(1, 3)).isEmpty();
    assertThat(catalog.latest(2)).contains(new ChainTable(2, 1, List.of(9)));
    assertThat(catalog.routingVersion()).isEqualTo(7);

    // An older routing info (a stream replaying) changes nothing.
    catalog.apply(RoutingInfo.newBuilder().setVersion(5).addChainTables(table(1, 1, 4)).build());
    assertThat(catalog.find(1, 1)).contains(new ChainTable(1, 1, List.of(1, 2)));
    assertThat(catalog.routingVersion()).isEqualTo(7);
  }

  @Test
  void theDaemonTakesMgmtdAddressesOrStaticTablesNotBoth() {
    MetaDaemonConfig c =
        MetaDaemonConfig.parse(
            "--kv", "memory:", "--admin-token-file", "/tmp/t", "--mgmtd", "m0:8000, m1:8000");
    assertThat(c.mgmtdEndpoints()).containsExactly("m0:8000", "m1:8000");
    assertThat(c.followsMgmtd()).isTrue();
    assertThat(
            MetaDaemonConfig.parse(
                    "--kv", "memory:", "--admin-token-file", "/tmp/t", "--chain-table", "1=1-4")
                .followsMgmtd())
        .isFalse();
    assertThatThrownBy(
            () ->
                MetaDaemonConfig.parse(
                    "--kv",
                    "memory:",
                    "--admin-token-file",
                    "/tmp/t",
                    "--mgmtd",
                    "m0:8000",
                    "--chain-table",
                    "1=1-4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () ->
                MetaDaemonConfig.parse(
                    "--kv", "memory:", "--admin-token-file", "/tmp/t", "--mgmtd", "nohost"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
