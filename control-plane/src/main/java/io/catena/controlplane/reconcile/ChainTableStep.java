package io.catena.controlplane.reconcile;

import io.catena.protocol.convert.MgmtdCodec;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.placement.ChainTableGenerator;
import io.catena.topology.placement.ChainTableSpec;
import io.catena.topology.placement.GeneratedChainTable;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster has its chain table: once, when none exists, a balanced table is generated over the
 * spare targets (topology's {@link ChainTableGenerator}, seeded by the cluster name) and uploaded.
 * An existing table is never regenerated: growing it is a scale-out operation.
 */
public final class ChainTableStep implements ReconcileStep {

  @Override
  public String name() {
    return "chain-table";
  }

  @Override
  public StepResult run(ReconcileContext c) {
    Optional<ChainTableInfo> table =
        c.mgmtd().chainTables().stream()
            .filter(t -> t.getTableId() == ClusterLayout.CHAIN_TABLE)
            .reduce((a, b) -> a.getVersion() >= b.getVersion() ? a : b);
    if (table.isPresent()) {
      return StepResult.done(
          "chain table "
              + ClusterLayout.CHAIN_TABLE
              + " v"
              + table.get().getVersion()
              + " has "
              + table.get().getChainIdsCount()
              + " chains");
    }
    List<Target> targets =
        c.mgmtd().targets().stream()
            .filter(t -> !t.hasChainId())
            .map((TargetInfo t) -> MgmtdCodec.fromWire(t))
            .toList();
    ClusterTopology topology =
        ClusterTopology.of(c.layout().topologyNodes(StorageDaemonsStep.DISK_BYTES), targets);
    GeneratedChainTable generated =
        ChainTableGenerator.generate(
            topology,
            new ChainTableSpec(
                ChainTableId.of(ClusterLayout.CHAIN_TABLE),
                c.layout().spec().replicationFactorOrDefault(),
                c.layout().seed(),
                c.layout().spec().failureDomainLabelOrDefault(),
                Set.of()));
    List<ChainSpec> chains =
        generated.table().chains().stream()
            .map(id -> chainSpec(generated.topology().chain(id)))
            .toList();
    c.mgmtd().setChainTable(ClusterLayout.CHAIN_TABLE, chains);
    return StepResult.progressing(
        "uploaded chain table "
            + ClusterLayout.CHAIN_TABLE
            + " with "
            + chains.size()
            + " chains of "
            + c.layout().spec().replicationFactorOrDefault()
            + " replicas");
  }

  private static ChainSpec chainSpec(Chain chain) {
    ChainId id = chain.id();
    return ChainSpec.newBuilder()
        .setChainId(id.value())
        .addAllTargetIds(chain.targets().stream().map(TargetId::value).toList())
        .build();
  }
}
