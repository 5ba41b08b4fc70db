package io.catena.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster model: nodes and their disks, targets, chains, chain tables and tenants. Immutable
 * and always valid: every way to build one checks the rules of {@link TopologyViolation.Code} and
 * throws {@link TopologyValidationException} listing every broken rule. Change it through {@link
 * #toBuilder()}, which gives a new model.
 */
public final class ClusterTopology {

  private static final ClusterTopology EMPTY =
      new ClusterTopology(
          new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

  private final Map<NodeId, Node> nodes;
  private final Map<TargetId, Target> targets;
  private final Map<ChainId, Chain> chains;
  private final Map<ChainTableId, ChainTable> chainTables;
  private final Map<TenantId, Tenant> tenants;
  private final Map<TargetId, ChainId> chainOfTarget;
  private final Map<NodeId, List<Target>> targetsByNode;

  private ClusterTopology(
      TreeMap<NodeId, Node> nodes,
      TreeMap<TargetId, Target> targets,
      TreeMap<ChainId, Chain> chains,
      TreeMap<ChainTableId, ChainTable> chainTables,
      TreeMap<TenantId, Tenant> tenants) {
    // Sorted iteration from the TreeMaps, constant-time lookups from the linked hash maps.
    this.nodes = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nodes));
    this.targets = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(targets));
    this.chains = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(chains));
    this.chainTables = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(chainTables));
    this.tenants = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tenants));
    Map<TargetId, ChainId> chainOf = new HashMap<>(targets.size() * 2);
    for (Chain chain : chains.values()) {
      for (TargetId t : chain.targets()) {
        chainOf.put(t, chain.id());
      }
    }
    this.chainOfTarget = chainOf;
    Map<NodeId, List<Target>> byNode = new HashMap<>();
    for (Target target : targets.values()) {
      byNode.computeIfAbsent(target.node(), n -> new ArrayList<>()).add(target);
    }
    byNode.replaceAll((n, list) -> Collections.unmodifiableList(list));
    this.targetsByNode = byNode;
  }

  /** The model with nothing in it. */
  public static ClusterTopology empty() {
    return EMPTY;
  }

  /** A validated model of these parts. */
  public static ClusterTopology of(
      Collection<Node> nodes,
      Collection<Target> targets,
      Collection<Chain> chains,
      Collection<ChainTable> chainTables,
      Collection<Tenant> tenants) {
    return new Validator(nodes, targets, chains, chainTables, tenants).build();
  }

  /** A validated model with nodes and targets only. */
  public static ClusterTopology of(Collection<Node> nodes, Collection<Target> targets) {
    return of(nodes, targets, List.of(), List.of(), List.of());
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Nodes ordered by id. */
  public Collection<Node> nodes() {
    return nodes.values();
  }

  /** Targets ordered by id. */
  public Collection<Target> targets() {
    return targets.values();
  }

  /** Chains ordered by id. */
  public Collection<Chain> chains() {
    return chains.values();
  }

  public Collection<ChainTable> chainTables() {
    return chainTables.values();
  }

  public Collection<Tenant> tenants() {
    return tenants.values();
  }

  public Optional<Node> findNode(NodeId id) {
    return Optional.ofNullable(nodes.get(id));
  }

  public Optional<Target> findTarget(TargetId id) {
    return Optional.ofNullable(targets.get(id));
  }

  public Optional<Chain> findChain(ChainId id) {
    return Optional.ofNullable(chains.get(id));
  }

  public Optional<ChainTable> findChainTable(ChainTableId id) {
    return Optional.ofNullable(chainTables.get(id));
  }

  public Optional<Tenant> findTenant(TenantId id) {
    return Optional.ofNullable(tenants.get(id));
  }

  public Node node(NodeId id) {
    return require(nodes.get(id), id);
  }

  public Target target(TargetId id) {
    return require(targets.get(id), id);
  }

  public Chain chain(ChainId id) {
    return require(chains.get(id), id);
  }

  public ChainTable chainTable(ChainTableId id) {
    return require(chainTables.get(id), id);
  }

  public Tenant tenant(TenantId id) {
    return require(tenants.get(id), "tenant " + id);
  }

  /** The chain a target belongs to; empty for a spare target. */
  public Optional<ChainId> chainOf(TargetId target) {
    return Optional.ofNullable(chainOfTarget.get(target));
  }

  /** The node a target lives on. */
  public NodeId nodeOf(TargetId target) {
    return target(target).node();
  }

  /** Every target on a node, ordered by id. */
  public List<Target> targetsOn(NodeId node) {
    return targetsByNode.getOrDefault(node, List.of());
  }

  /** The targets on a node that belong to no chain, ordered by id. */
  public List<Target> spareTargetsOn(NodeId node) {
    List<Target> spare = new ArrayList<>();
    for (Target target : targetsOn(node)) {
      if (!chainOfTarget.containsKey(target.id())) {
        spare.add(target);
      }
    }
    return spare;
  }

  /** The chains of a table, in table order. */
  public List<Chain> chainsOf(ChainTableId table) {
    List<Chain> result = new ArrayList<>();
    for (ChainId id : chainTable(table).chains()) {
      result.add(chains.get(id));
    }
    return result;
  }

  /** The nodes holding a replica of a chain, in chain order. */
  public List<NodeId> nodesOf(Chain chain) {
    List<NodeId> result = new ArrayList<>(chain.replicas());
    for (TargetId t : chain.targets()) {
      result.add(targets.get(t).node());
    }
    return result;
  }

  /** The tenants allowed to use a chain, through the tables that list it. */
  public Set<TenantId> tenantsOf(ChainId chain) {
    Set<TenantId> result = new HashSet<>();
    for (Tenant tenant : tenants.values()) {
      for (ChainTableId table : tenant.chainTables()) {
        if (chainTables.get(table).chains().contains(chain)) {
          result.add(tenant.id());
          break;
        }
      }
    }
    return result;
  }

  /** Bytes held on a disk: the sum of its targets' used bytes. */
  public long usedBytesOn(NodeId node, int disk) {
    long used = 0;
    for (Target t : targetsOn(node)) {
      if (t.disk() == disk) {
        used += t.usedBytes();
      }
    }
    return used;
  }

  /** Bytes held on a node: the sum of its targets' used bytes. */
  public long usedBytesOn(NodeId node) {
    long used = 0;
    for (Target t : targetsOn(node)) {
      used += t.usedBytes();
    }
    return used;
  }

  private static <T> T require(T value, Object id) {
    if (value == null) {
      throw new IllegalArgumentException(id + " is not in the cluster");
    }
    return value;
  }

  @Override
  public String toString() {
    return "ClusterTopology[nodes="
        + nodes.size()
        + ", targets="
        + targets.size()
        + ", chains="
        + chains.size()
        + ", chainTables="
        + chainTables.size()
        + ", tenants="
        + tenants.size()
        + "]";
  }

  /** A mutable copy of a model; {@link #build()} validates it into a new one. */
  public static final class Builder {
    private final Map<NodeId, Node> nodes;
    private final Map<TargetId, Target> targets;
    private final Map<ChainId, Chain> chains;
    private final Map<ChainTableId, ChainTable> chainTables;
    private final Map<TenantId, Tenant> tenants;

    private Builder(ClusterTopology from) {
      nodes = new HashMap<>(from.nodes);
      targets = new HashMap<>(from.targets);
      chains = new HashMap<>(from.chains);
      chainTables = new HashMap<>(from.chainTables);
      tenants = new HashMap<>(from.tenants);
    }

    public Builder putNode(Node node) {
      nodes.put(node.id(), node);
      return this;
    }

    /** Removes a node and every target on it. */
    public Builder removeNode(NodeId node) {
      nodes.remove(node);
      targets.values().removeIf(t -> t.node().equals(node));
      return this;
    }

    public Builder putTarget(Target target) {
      targets.put(target.id(), target);
      return this;
    }

    public Builder removeTarget(TargetId target) {
      targets.remove(target);
      return this;
    }

    public Builder putChain(Chain chain) {
      chains.put(chain.id(), chain);
      return this;
    }

    public Builder removeChain(ChainId chain) {
      chains.remove(chain);
      return this;
    }

    public Builder putChainTable(ChainTable table) {
      chainTables.put(table.id(), table);
      return this;
    }

    public Builder putTenant(Tenant tenant) {
      tenants.put(tenant.id(), tenant);
      return this;
    }

    public Optional<Target> target(TargetId id) {
      return Optional.ofNullable(targets.get(id));
    }

    public Optional<Chain> chain(ChainId id) {
      return Optional.ofNullable(chains.get(id));
    }

    public ClusterTopology build() {
      return new Validator(
              nodes.values(),
              targets.values(),
              chains.values(),
              chainTables.values(),
              tenants.values())
          .build();
    }
  }

  /** Checks every rule and collects every violation before building. */
  private static final class Validator {
    private final Collection<Node> nodeList;
    private final Collection<Target> targetList;
    private final Collection<Chain> chainList;
    private final Collection<ChainTable> tableList;
    private final Collection<Tenant> tenantList;
    private final List<TopologyViolation> violations = new ArrayList<>();

    Validator(
        Collection<Node> nodes,
        Collection<Target> targets,
        Collection<Chain> chains,
        Collection<ChainTable> tables,
        Collection<Tenant> tenants) {
      this.nodeList = nodes;
      this.targetList = targets;
      this.chainList = chains;
      this.tableList = tables;
      this.tenantList = tenants;
    }

    private void fail(TopologyViolation.Code code, String message) {
      violations.add(new TopologyViolation(code, message));
    }

    ClusterTopology build() {
      TreeMap<NodeId, Node> nodes = new TreeMap<>();
      for (Node node : nodeList) {
        if (nodes.putIfAbsent(node.id(), node) != null) {
          fail(TopologyViolation.Code.DUPLICATE_NODE, node.id() + " is defined twice");
        }
        Set<Integer> diskIndexes = new HashSet<>();
        for (Disk disk : node.disks()) {
          if (!diskIndexes.add(disk.index())) {
            fail(
                TopologyViolation.Code.DUPLICATE_DISK,
                node.id() + " lists disk " + disk.index() + " twice");
          }
        }
      }
      TreeMap<TargetId, Target> targets = new TreeMap<>();
      for (Target target : targetList) {
        if (targets.putIfAbsent(target.id(), target) != null) {
          fail(TopologyViolation.Code.DUPLICATE_TARGET, target.id() + " is defined twice");
          continue;
        }
        Node node = nodes.get(target.node());
        if (node == null) {
          fail(
              TopologyViolation.Code.TARGET_ON_UNKNOWN_NODE,
              target.id() + " is on " + target.node() + ", which is not in the cluster");
        } else if (node.disk(target.disk()).isEmpty()) {
          fail(
              TopologyViolation.Code.TARGET_ON_UNKNOWN_DISK,
              target.id() + " is on disk " + target.disk() + ", which " + node.id() + " lacks");
        }
      }
      TreeMap<ChainId, Chain> chains = new TreeMap<>();
      Map<TargetId, ChainId> owner = new HashMap<>();
      for (Chain chain : chainList) {
        if (chains.putIfAbsent(chain.id(), chain) != null) {
          fail(TopologyViolation.Code.DUPLICATE_CHAIN, chain.id() + " is defined twice");
          continue;
        }
        if (chain.targets().isEmpty()) {
          fail(TopologyViolation.Code.EMPTY_CHAIN, chain.id() + " has no targets");
        }
        Map<NodeId, TargetId> nodesSeen = new HashMap<>();
        for (TargetId t : chain.targets()) {
          Target target = targets.get(t);
          if (target == null) {
            fail(
                TopologyViolation.Code.CHAIN_UNKNOWN_TARGET,
                chain.id() + " lists " + t + ", which is not in the cluster");
            continue;
          }
          ChainId previous = owner.putIfAbsent(t, chain.id());
          if (previous != null && !previous.equals(chain.id())) {
            fail(
                TopologyViolation.Code.TARGET_IN_TWO_CHAINS,
                t + " is in both " + previous + " and " + chain.id());
          }
          TargetId sameNode = nodesSeen.putIfAbsent(target.node(), t);
          if (sameNode != null) {
            fail(
                TopologyViolation.Code.REPLICAS_SHARE_NODE,
                chain.id()
                    + " has two replicas on "
                    + target.node()
                    + " ("
                    + sameNode
                    + ", "
                    + t
                    + "): one node failure would take both");
          }
        }
      }
      TreeMap<ChainTableId, ChainTable> tables = new TreeMap<>();
      for (ChainTable table : tableList) {
        if (tables.putIfAbsent(table.id(), table) != null) {
          fail(TopologyViolation.Code.DUPLICATE_CHAIN_TABLE, table.id() + " is defined twice");
          continue;
        }
        Set<ChainId> seen = new HashSet<>();
        for (ChainId c : table.chains()) {
          Chain chain = chains.get(c);
          if (chain == null) {
            fail(
                TopologyViolation.Code.CHAIN_TABLE_UNKNOWN_CHAIN,
                table.id() + " lists " + c + ", which is not in the cluster");
            continue;
          }
          if (!seen.add(c)) {
            fail(
                TopologyViolation.Code.CHAIN_TABLE_REPEATS_CHAIN,
                table.id() + " lists " + c + " more than once");
          }
        }
        // Mixed replica counts are not a model violation: a chain under repair briefly has one
        // replica more (the new one syncing) or one less (the dead one removed first). Uploads of
        // a chain table check uniformity instead (mgmtd's SetChainTable).
      }
      TreeMap<TenantId, Tenant> tenants = new TreeMap<>();
      for (Tenant tenant : tenantList) {
        if (tenants.putIfAbsent(tenant.id(), tenant) != null) {
          fail(
              TopologyViolation.Code.DUPLICATE_TENANT,
              "tenant " + tenant.id() + " is defined twice");
          continue;
        }
        for (ChainTableId table : tenant.chainTables()) {
          if (!tables.containsKey(table)) {
            fail(
                TopologyViolation.Code.TENANT_UNKNOWN_CHAIN_TABLE,
                "tenant " + tenant.id() + " may use " + table + ", which is not in the cluster");
          }
        }
      }
      if (!violations.isEmpty()) {
        throw new TopologyValidationException(violations);
      }
      return new ClusterTopology(nodes, targets, chains, tables, tenants);
    }
  }
}
