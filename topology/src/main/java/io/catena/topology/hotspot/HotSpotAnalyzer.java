package io.catena.topology.hotspot;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.Tenant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores load samples against the cluster model: per target, then summed per chain (its replicas),
 * per node (its targets) and per tenant (the chains of its tables), each ranked against the mean of
 * its kind with {@link HotSpotRule}, each hot item given the {@link Relief} that fits:
 *
 * <ul>
 *   <li>a hot target that is its chain's head and mostly written: {@link Relief#MOVE_HEADS}; any
 *       other hot target (reads piling on one replica): {@link Relief#SPREAD_READS};
 *   <li>a hot node: {@link Relief#MOVE_HEADS} when mostly written, else {@link
 *       Relief#MOVE_REPLICAS};
 *   <li>a hot chain (all its replicas busy, so no replica choice helps): {@link
 *       Relief#MOVE_REPLICAS} to put it on cooler nodes when its nodes are hot, else {@link
 *       Relief#ADD_CHAINS};
 *   <li>a hot tenant: {@link Relief#ADD_CHAINS} (give its tables more chains).
 * </ul>
 *
 * Targets in chains without a sample count as idle. Samples of unknown targets are bad input.
 */
public final class HotSpotAnalyzer {

  private static final double MOSTLY_WRITTEN = 0.5;

  private HotSpotAnalyzer() {}

  public static HotSpotReport analyze(
      ClusterTopology cluster, Collection<TargetLoadSample> samples, HotSpotRule rule) {
    double seconds = rule.window().toNanos() / 1e9;
    Map<TargetId, TargetLoadSample> byTarget = new HashMap<>();
    for (TargetLoadSample sample : samples) {
      if (cluster.findTarget(sample.target()).isEmpty()) {
        throw new IllegalArgumentException(
            "load sample for " + sample.target() + ", which is not in the cluster");
      }
      if (byTarget.put(sample.target(), sample) != null) {
        throw new IllegalArgumentException("two load samples for " + sample.target());
      }
    }
    Map<TargetId, Load> targetLoad = new HashMap<>();
    for (Chain chain : cluster.chains()) {
      for (TargetId t : chain.targets()) {
        targetLoad.put(t, Load.of(byTarget.get(t), rule, seconds));
      }
    }
    for (TargetLoadSample sample : samples) {
      targetLoad.putIfAbsent(sample.target(), Load.of(sample, rule, seconds));
    }
    Map<ChainId, Load> chainLoad = new HashMap<>();
    for (Chain chain : cluster.chains()) {
      Load sum = Load.ZERO;
      for (TargetId t : chain.targets()) {
        sum = sum.plus(targetLoad.get(t));
      }
      chainLoad.put(chain.id(), sum);
    }
    Map<NodeId, Load> nodeLoad = new HashMap<>();
    for (Node node : cluster.nodes()) {
      Load sum = Load.ZERO;
      for (Target t : cluster.targetsOn(node.id())) {
        sum = sum.plus(targetLoad.getOrDefault(t.id(), Load.ZERO));
      }
      nodeLoad.put(node.id(), sum);
    }
    Map<String, Load> tenantLoad = new HashMap<>();
    for (Tenant tenant : cluster.tenants()) {
      Set<ChainId> chains = new HashSet<>();
      for (ChainTableId table : tenant.chainTables()) {
        chains.addAll(cluster.chainTable(table).chains());
      }
      Load sum = Load.ZERO;
      for (ChainId c : chains) {
        sum = sum.plus(chainLoad.get(c));
      }
      tenantLoad.put(tenant.id().value(), sum);
    }

    double medianLatency = medianLatency(byTarget.values());
    List<LoadScore> nodes =
        score(
            LoadScope.NODE,
            toText(nodeLoad),
            rule,
            (id, load, hot) -> {
              if (!hot) {
                return Relief.NONE;
              }
              return load.writeShare() >= MOSTLY_WRITTEN ? Relief.MOVE_HEADS : Relief.MOVE_REPLICAS;
            });
    Set<String> hotNodes = new HashSet<>();
    nodes.stream().filter(LoadScore::hot).forEach(s -> hotNodes.add(s.id()));

    List<LoadScore> targets =
        score(LoadScope.TARGET, toText(targetLoad), rule, (id, load, hot) -> Relief.NONE);
    List<LoadScore> targetsWithLatency = new ArrayList<>(targets.size());
    for (LoadScore s : targets) {
      TargetId id = TargetId.of(Long.parseLong(s.id()));
      TargetLoadSample sample = byTarget.get(id);
      boolean slow =
          sample != null
              && medianLatency > 0
              && sample.p99LatencyMillis() >= rule.latencyRatio() * medianLatency
              && sample.p99LatencyMillis() >= rule.latencyFloorMillis();
      boolean hot = s.hot() || slow;
      String reason = s.reason();
      if (slow) {
        String latency =
            String.format(
                "p99 %.1f ms is %.1f x the median %.1f ms",
                sample.p99LatencyMillis(),
                sample.p99LatencyMillis() / medianLatency,
                medianLatency);
        reason = reason.isEmpty() ? latency : reason + "; " + latency;
      }
      Relief relief = Relief.NONE;
      if (hot) {
        boolean head =
            cluster.chainOf(id).map(c -> cluster.chain(c).head().equals(id)).orElse(false);
        relief = head && s.writeShare() >= MOSTLY_WRITTEN ? Relief.MOVE_HEADS : Relief.SPREAD_READS;
      }
      targetsWithLatency.add(
          new LoadScore(
              s.scope(),
              s.id(),
              s.bytesPerSecond(),
              s.ratio(),
              s.writeShare(),
              hot,
              reason,
              relief));
    }
    List<LoadScore> chains =
        score(
            LoadScope.CHAIN,
            toText(chainLoad),
            rule,
            (id, load, hot) -> {
              if (!hot) {
                return Relief.NONE;
              }
              Chain chain = cluster.chain(ChainId.of(Integer.parseInt(id)));
              for (TargetId t : chain.targets()) {
                if (hotNodes.contains(String.valueOf(cluster.nodeOf(t).value()))) {
                  return Relief.MOVE_REPLICAS;
                }
              }
              return Relief.ADD_CHAINS;
            });
    List<LoadScore> tenants =
        score(
            LoadScope.TENANT,
            tenantLoad,
            rule,
            (id, load, hot) -> hot ? Relief.ADD_CHAINS : Relief.NONE);
    Map<ChainId, Double> chainBytes = new HashMap<>();
    chainLoad.forEach((id, load) -> chainBytes.put(id, load.bytesPerSecond()));
    return new HotSpotReport(targetsWithLatency, chains, nodes, tenants, chainBytes);
  }

  private static <K> Map<String, Load> toText(Map<K, Load> loads) {
    Map<String, Load> result = new HashMap<>(loads.size() * 2);
    loads.forEach(
        (k, v) ->
            result.put(
                switch (k) {
                  case NodeId n -> String.valueOf(n.value());
                  case TargetId t -> String.valueOf(t.value());
                  case ChainId c -> String.valueOf(c.value());
                  default -> k.toString();
                },
                v));
    return result;
  }

  private interface ReliefRule {
    Relief relief(String id, Load load, boolean hot);
  }

  private static List<LoadScore> score(
      LoadScope scope, Map<String, Load> loads, HotSpotRule rule, ReliefRule reliefRule) {
    double mean = 0;
    for (Load load : loads.values()) {
      mean += load.bytesPerSecond();
    }
    mean = loads.isEmpty() ? 0 : mean / loads.size();
    List<LoadScore> scores = new ArrayList<>(loads.size());
    for (Map.Entry<String, Load> entry : loads.entrySet()) {
      Load load = entry.getValue();
      double ratio = mean == 0 ? 0 : load.bytesPerSecond() / mean;
      boolean hot = ratio >= rule.ratio() && load.bytesPerSecond() >= rule.floorBytesPerSecond();
      String reason =
          hot
              ? String.format(
                  "%s MB/s is %.2f x the mean %s of %s MB/s",
                  mb(load.bytesPerSecond()), ratio, scope.name().toLowerCase(), mb(mean))
              : "";
      scores.add(
          new LoadScore(
              scope,
              entry.getKey(),
              load.bytesPerSecond(),
              ratio,
              load.writeShare(),
              hot,
              reason,
              reliefRule.relief(entry.getKey(), load, hot)));
    }
    scores.sort(
        Comparator.comparingDouble(LoadScore::bytesPerSecond)
            .reversed()
            .thenComparing(LoadScore::id));
    return scores;
  }

  private static String mb(double bytesPerSecond) {
    return String.format("%.1f", bytesPerSecond / 1e6);
  }

  private static double medianLatency(Collection<TargetLoadSample> samples) {
    double[] values = samples.stream().mapToDouble(TargetLoadSample::p99LatencyMillis).toArray();
    if (values.length == 0) {
      return 0;
    }
    Arrays.sort(values);
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** Load in bytes per second, operations priced in, and the written bytes among them. */
  private record Load(double bytesPerSecond, double readBytes, double writeBytes) {
    static final Load ZERO = new Load(0, 0, 0);

    static Load of(TargetLoadSample sample, HotSpotRule rule, double seconds) {
      if (sample == null) {
        return ZERO;
      }
      double cost =
          sample.readBytes()
              + sample.writeBytes()
              + (double) (sample.readOps() + sample.writeOps()) * rule.opCostBytes();
      return new Load(cost / seconds, sample.readBytes(), sample.writeBytes());
    }

    Load plus(Load other) {
      return new Load(
          bytesPerSecond + other.bytesPerSecond,
          readBytes + other.readBytes,
          writeBytes + other.writeBytes);
    }

    double writeShare() {
      double all = readBytes + writeBytes;
      return all == 0 ? 0 : writeBytes / all;
    }
  }
}
