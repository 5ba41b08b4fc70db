package io.catena.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.topology.TopologyViolation.Code;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterTopologyTest {

  private static final NodeId N1 = NodeId.of(1);
  private static final NodeId N2 = NodeId.of(2);
  private static final NodeId N3 = NodeId.of(3);

  /** A valid cluster: three nodes, one disk each, two targets per disk, two chains, one table. */
  record Parts(
      List<Node> nodes,
      List<Target> targets,
      List<Chain> chains,
      List<ChainTable> tables,
      List<Tenant> tenants) {

    static Parts valid() {
      List<Node> nodes = new ArrayList<>();
      List<Target> targets = new ArrayList<>();
      for (NodeId id : List.of(N1, N2, N3)) {
        nodes.add(
            new Node(
                id,
                "n" + id.value() + ":8000",
                Map.of("rack", "r" + id.value()),
                List.of(new Disk(0, 1000))));
        targets.add(Target.serving(TargetId.of(id, 0, 0), id, 0, 500));
        targets.add(Target.serving(TargetId.of(id, 0, 1), id, 0, 500));
      }
      List<Chain> chains =
          List.of(
              new Chain(
                  ChainId.of(1),
                  1,
                  List.of(TargetId.of(N1, 0, 0), TargetId.of(N2, 0, 0), TargetId.of(N3, 0, 0))),
              new Chain(
                  ChainId.of(2),
                  1,
                  List.of(TargetId.of(N2, 0, 1), TargetId.of(N3, 0, 1), TargetId.of(N1, 0, 1))));
      List<ChainTable> tables =
          List.of(new ChainTable(ChainTableId.of(1), 1, List.of(ChainId.of(1), ChainId.of(2))));
      List<Tenant> tenants = List.of(new Tenant(TenantId.of("acme"), Set.of(ChainTableId.of(1))));
      return new Parts(
          new ArrayList<>(nodes),
          new ArrayList<>(targets),
          new ArrayList<>(chains),
          new ArrayList<>(tables),
          new ArrayList<>(tenants));
    }

    ClusterTopology build() {
      return ClusterTopology.of(nodes, targets, chains, tables, tenants);
    }
  }

  static Stream<Arguments> invalidModels() {
    return Stream.of(
        Arguments.of(
            Code.DUPLICATE_NODE,
            "node-1 is defined twice",
            (UnaryOperator<Parts>)
                p -> {
                  p.nodes().add(p.nodes().getFirst());
                  return p;
                }),
        Arguments.of(
            Code.DUPLICATE_DISK,
            "node-4 lists disk 0 twice",
            (UnaryOperator<Parts>)
                p -> {
                  p.nodes()
                      .add(
                          new Node(
                              NodeId.of(4),
                              "n4:8000",
                              Map.of(),
                              List.of(new Disk(0, 1), new Disk(0, 2))));
                  return p;
                }),
        Arguments.of(
            Code.DUPLICATE_TARGET,
            "is defined twice",
            (UnaryOperator<Parts>)
                p -> {
                  p.targets().add(p.targets().getFirst());
                  return p;
                }),
        Arguments.of(
            Code.TARGET_ON_UNKNOWN_NODE,
            "is on node-9, which is not in the cluster",
            (UnaryOperator<Parts>)
                p -> {
                  p.targets().add(Target.serving(TargetId.of(99), NodeId.of(9), 0, 1));
                  return p;
                }),
        Arguments.of(
            Code.TARGET_ON_UNKNOWN_DISK,
            "is on disk 3, which node-1 lacks",
            (UnaryOperator<Parts>)
                p -> {
                  p.targets().add(Target.serving(TargetId.of(99), N1, 3, 1));
                  return p;
                }),
        Arguments.of(
            Code.DUPLICATE_CHAIN,
            "chain-1 is defined twice",
            (UnaryOperator<Parts>)
                p -> {
                  p.chains().add(p.chains().getFirst());
                  return p;
                }),
        Arguments.of(
            Code.EMPTY_CHAIN,
            "chain-7 has no targets",
            (UnaryOperator<Parts>)
                p -> {
                  p.chains().add(new Chain(ChainId.of(7), 1, List.of()));
                  return p;
                }),
        Arguments.of(
            Code.CHAIN_UNKNOWN_TARGET,
            "chain-7 lists target-12345, which is not in the cluster",
            (UnaryOperator<Parts>)
                p -> {
                  p.chains().add(new Chain(ChainId.of(7), 1, List.of(TargetId.of(12345))));
                  return p;
                }),
        Arguments.of(
            Code.TARGET_IN_TWO_CHAINS,
            "is in both chain-1 and chain-7",
            (UnaryOperator<Parts>)
                p -> {
                  p.chains().add(new Chain(ChainId.of(7), 1, List.of(TargetId.of(N1, 0, 0))));
                  return p;
                }),
        Arguments.of(
            Code.REPLICAS_SHARE_NODE,
            "chain-1 has two replicas on node-1",
            (UnaryOperator<Parts>)
                p -> {
                  p.chains()
                      .set(
                          0,
                          new Chain(
                              ChainId.of(1),
                              1,
                              List.of(
                                  TargetId.of(N1, 0, 0),
                                  TargetId.of(N2, 0, 0),
                                  TargetId.of(N1, 0, 1))));
                  p.chains().set(1, new Chain(ChainId.of(2), 1, List.of(TargetId.of(N2, 0, 1))));
                  p.tables().clear();
                  p.tenants().clear();
                  return p;
                }),
        Arguments.of(
            Code.DUPLICATE_CHAIN_TABLE,
            "table-1 is defined twice",
            (UnaryOperator<Parts>)
                p -> {
                  p.tables().add(p.tables().getFirst());
                  return p;
                }),
        Arguments.of(
            Code.CHAIN_TABLE_UNKNOWN_CHAIN,
            "table-2 lists chain-9, which is not in the cluster",
            (UnaryOperator<Parts>)
                p -> {
                  p.tables().add(new ChainTable(ChainTableId.of(2), 1, List.of(ChainId.of(9))));
                  return p;
                }),
        Arguments.of(
            Code.CHAIN_TABLE_REPEATS_CHAIN,
            "table-2 lists chain-1 more than once",
            (UnaryOperator<Parts>)
                p -> {
                  p.tables()
                      .add(
                          new ChainTable(
                              ChainTableId.of(2), 1, List.of(ChainId.of(1), ChainId.of(1))));
                  return p;
                }),
        Arguments.of(
            Code.DUPLICATE_TENANT,
            "tenant acme is defined twice",
            (UnaryOperator<Parts>)
                p -> {
                  p.tenants().add(p.tenants().getFirst());
                  return p;
                }),
        Arguments.of(
            Code.TENANT_UNKNOWN_CHAIN_TABLE,
            "tenant beta may use table-5, which is not in the cluster",
            (UnaryOperator<Parts>)
                p -> {
                  p.tenants().add(new Tenant(TenantId.of("beta"), Set.of(ChainTableId.of(5))));
                  return p;
                }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidModels")
  void eachRuleIsReportedWithAClearMessage(
      Code code, String message, UnaryOperator<Parts> breakIt) {
    Parts parts = breakIt.apply(Parts.valid());
    assertThatThrownBy(parts::build)
        .isInstanceOf(TopologyValidationException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(code.name())
        .hasMessageContaining(message)
        .satisfies(
            e ->
                assertThat(((TopologyValidationException) e).violations())
                    .extracting(TopologyViolation::code)
                    .contains(code));
  }

  @org.junit.jupiter.api.Test
  void everyViolationIsListedNotOnlyTheFirst() {
    Parts parts = Parts.valid();
    parts.nodes().add(parts.nodes().getFirst());
    parts.tenants().add(new Tenant(TenantId.of("beta"), Set.of(ChainTableId.of(5))));
    assertThatThrownBy(parts::build)
        .satisfies(
            e ->
                assertThat(((TopologyValidationException) e).violations())
                    .extracting(TopologyViolation::code)
                    .containsExactlyInAnyOrder(
                        Code.DUPLICATE_NODE, Code.TENANT_UNKNOWN_CHAIN_TABLE));
  }

  @org.junit.jupiter.api.Test
  void aValidModelAnswersTheQueriesPlannersNeed() {
    ClusterTopology cluster = Parts.valid().build();
    assertThat(cluster.nodes()).extracting(Node::id).containsExactly(N1, N2, N3);
    assertThat(cluster.chainOf(TargetId.of(N2, 0, 1))).contains(ChainId.of(2));
    assertThat(cluster.nodesOf(cluster.chain(ChainId.of(2)))).containsExactly(N2, N3, N1);
    assertThat(cluster.chain(ChainId.of(2)).head()).isEqualTo(TargetId.of(N2, 0, 1));
    assertThat(cluster.chain(ChainId.of(2)).tail()).isEqualTo(TargetId.of(N1, 0, 1));
    assertThat(cluster.tenantsOf(ChainId.of(1))).containsExactly(TenantId.of("acme"));
    assertThat(cluster.spareTargetsOn(N1)).isEmpty();
    assertThat(cluster.chainTable(ChainTableId.of(1)).chainAt(3)).isEqualTo(ChainId.of(2));
    assertThatThrownBy(() -> cluster.node(NodeId.of(42)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node-42 is not in the cluster");
  }

  @org.junit.jupiter.api.Test
  void theBuilderGivesANewValidatedModelAndLeavesTheOldOne() {
    ClusterTopology cluster = Parts.valid().build();
    ClusterTopology changed =
        cluster.toBuilder()
            .putChain(cluster.chain(ChainId.of(1)).withHead(TargetId.of(N3, 0, 0)))
            .build();
    assertThat(changed.chain(ChainId.of(1)).head()).isEqualTo(TargetId.of(N3, 0, 0));
    assertThat(changed.chain(ChainId.of(1)).version()).isEqualTo(2);
    assertThat(cluster.chain(ChainId.of(1)).head()).isEqualTo(TargetId.of(N1, 0, 0));
    assertThatThrownBy(() -> cluster.toBuilder().removeNode(N1).build())
        .isInstanceOf(TopologyValidationException.class)
        .hasMessageContaining(Code.CHAIN_UNKNOWN_TARGET.name());
  }

  @org.junit.jupiter.api.Test
  void aReplicaMoveAppendsTheNewTargetAtTheTail() {
    Chain chain =
        new Chain(ChainId.of(1), 3, List.of(TargetId.of(1), TargetId.of(2), TargetId.of(3)));
    Chain moved = chain.withReplicaMoved(TargetId.of(1), TargetId.of(4));
    assertThat(moved.targets()).containsExactly(TargetId.of(2), TargetId.of(3), TargetId.of(4));
    assertThat(moved.version()).isEqualTo(5);
    assertThatThrownBy(() -> chain.withReplicaMoved(TargetId.of(1), TargetId.of(2)))
        .hasMessageContaining("already in chain-1");
  }

  @org.junit.jupiter.api.Test
  void idsAndValuesRejectNonsense() {
    assertThatThrownBy(() -> NodeId.of(-1)).hasMessageContaining(">= 0");
    assertThatThrownBy(() -> TenantId.of("no spaces")).hasMessageContaining("tenant id");
    assertThatThrownBy(() -> new Chain(ChainId.of(1), 0, List.of()))
        .hasMessageContaining("version");
    assertThatThrownBy(() -> new Node(N1, " ", Map.of())).hasMessageContaining("no address");
    assertThat(TargetId.of(NodeId.of(12), 3, 4).value()).isEqualTo(12_003_004L);
  }
}
