package io.catena.client.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingSnapshotTest {

  private static RoutingInfo info(long version, PublicState... states) {
    RoutingInfo.Builder b = RoutingInfo.newBuilder().setVersion(version);
    ChainInfo.Builder chain = ChainInfo.newBuilder().setChainId(1).setVersion(version * 10);
    for (int i = 0; i < states.length; i++) {
      int node = i + 1;
      b.addNodes(NodeInfo.newBuilder().setNodeId(node).setAddress("127.0.0.1:" + (7000 + node)));
      b.addTargets(TargetInfo.newBuilder().setTargetId(100 + node).setNodeId(node));
      chain.addMembers(ChainMember.newBuilder().setTargetId(100 + node).setPublicState(states[i]));
    }
    b.addChainTables(ChainTableInfo.newBuilder().setTableId(1).setVersion(1).addChainIds(1));
    b.addChainTables(
        ChainTableInfo.newBuilder().setTableId(1).setVersion(2).addChainIds(1).addChainIds(2));
    return b.addChains(chain).build();
  }

  @ParameterizedTest(name = "{0},{1},{2} -> head {3}, readable {4}")
  @CsvSource({
    "SERVING, SERVING, SERVING, 101, 101 102 103",
    "SERVING, SYNCING, OFFLINE, 101, 101",
    "SYNCING, SERVING, SERVING, -1,  102 103", // a SYNCING first member cannot head
    "LASTSRV, OFFLINE, OFFLINE, -1,  ''",
    "OFFLINE, SERVING, WAITING, 102, 102",
    "WAITING, WAITING, OFFLINE, -1,  ''",
  })
  void writesEnterAtTheFirstWritePathMemberAndReadsGoToServingOnes(
      PublicState a, PublicState b, PublicState c, long head, String readable) {
    ChainRoute route = RoutingSnapshot.of(info(3, a, b, c)).chain(1).orElseThrow();
    assertThat(route.version()).isEqualTo(30);
    assertThat(route.head().map(Replica::targetId).orElse(-1L)).isEqualTo(head);
    List<Long> expected =
        readable.isBlank()
            ? List.of()
            : java.util.Arrays.stream(readable.trim().split(" ")).map(Long::parseLong).toList();
    assertThat(route.readable().stream().map(Replica::targetId).toList()).isEqualTo(expected);
    assertThat(route.members().getFirst().address()).isEqualTo("127.0.0.1:7001");
  }

  @Test
  void everyTableVersionResolves() {
    RoutingSnapshot s = RoutingSnapshot.of(info(1, PublicState.SERVING));
    assertThat(s.chainTable(1, 1)).contains(List.of(1));
    assertThat(s.chainTable(1, 2)).contains(List.of(1, 2));
    assertThat(s.chainTable(1, 3)).isEmpty();
  }

  @Test
  void theCacheOnlyMovesForwardAndWakesWaiters() throws Exception {
    RoutingCache cache = RoutingCache.detached();
    CompletableFuture<RoutingSnapshot> first = cache.newerThan(0);
    assertThat(first).isNotDone();
    cache.apply(info(5, PublicState.SERVING));
    assertThat(first.get().version()).isEqualTo(5);
    CompletableFuture<RoutingSnapshot> next = cache.newerThan(5);
    cache.apply(info(4, PublicState.OFFLINE));
    assertThat(next).isNotDone();
    assertThat(cache.current().version()).isEqualTo(5);
    assertThat(cache.newerThan(4)).isDone();
    cache.apply(info(6, PublicState.OFFLINE));
    assertThat(next.get().chain(1).orElseThrow().head()).isEmpty();
  }
}
