package io.catena.mgmtd.cluster;

import io.catena.mgmtd.chain.ChainMemberState;
import io.catena.mgmtd.chain.ChainStateFunction;
import io.catena.mgmtd.store.MgmtdStore;
import io.catena.mgmtd.store.StoreBatch;
import io.catena.mgmtd.store.StoredCluster;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.convert.MgmtdCodec;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.ClusterConfig;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.DaemonKind;
import io.catena.protocol.mgmtd.DaemonStatus;
import io.catena.protocol.mgmtd.HeartbeatRequest;
import io.catena.protocol.mgmtd.LocalTargetReport;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.mgmtd.UpdateChainRequest;
import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTable;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's view of the cluster and the only place it changes: membership, target states,
 * chains and chain tables, config. Every change is computed on a copy, persisted in one fenced
 * transaction ({@link MgmtdStore#commit}), and only then made current, with a new routing version.
 * Calls are serialized: one writer at a time, as in 3FS.
 */
public final class ClusterManager {

  private static final Logger log = LoggerFactory.getLogger(ClusterManager.class);

  private final MgmtdStore store;
  private final Clock clock;
  private final MgmtdSettings settings;
  private final String selfId;
  private final List<LongConsumer> versionListeners = new ArrayList<>();

  private ClusterTopology topology = ClusterTopology.empty();
  private Map<ChainTableId, TreeMap<Integer, ChainTable>> tableVersions = new TreeMap<>();
  private Map<String, Daemon> daemons = new TreeMap<>();
  private Set<TargetId> adminOffline = new HashSet<>();
  // Targets no storage daemon has reported yet, and until when they are presumed alive.
  private Map<TargetId, Long> awaitingReport = new HashMap<>();
  // Soft state: the chain version each target's last local-state report was decided against.
  private final Map<TargetId, Long> reportedChainVersions = new HashMap<>();
  private ClusterConfig config = ClusterConfig.getDefaultInstance();
  private long routingVersion;
  private RoutingInfo cachedRouting;
  private boolean loaded;

  public ClusterManager(MgmtdStore store, Clock clock, MgmtdSettings settings, String selfId) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.selfId = selfId;
  }

  /** Called with each new routing version after it is committed. */
  public synchronized void onVersionChange(LongConsumer listener) {
    versionListeners.add(listener);
  }

  /**
   * Loads the persisted state, as a new primary does. Daemons get one heartbeat timeout to report
   * before they are presumed failed; targets start from the local state their public state implies.
   */
  public synchronized void load() {
    StoredCluster stored = store.load();
    long now = clock.millis();
    ClusterTopology.Builder b = ClusterTopology.empty().toBuilder();
    stored.nodes().forEach(n -> b.putNode(MgmtdCodec.fromWire(n)));
    Map<TargetId, Long> awaiting = new HashMap<>();
    for (TargetInfo t : stored.targets()) {
      Target target = MgmtdCodec.fromWire(t);
      b.putTarget(target.withStates(target.publicState(), presumedLocal(target.publicState())));
      awaiting.put(target.id(), now + settings.heartbeatTimeout().toMillis());
    }
    stored.chains().forEach(c -> b.putChain(MgmtdCodec.fromWire(c)));
    Map<ChainTableId, TreeMap<Integer, ChainTable>> versions = new TreeMap<>();
    for (ChainTableInfo info : stored.chainTables()) {
      ChainTable table = MgmtdCodec.fromWire(info);
      versions.computeIfAbsent(table.id(), id -> new TreeMap<>()).put(table.version(), table);
    }
    versions.values().forEach(v -> b.putChainTable(v.lastEntry().getValue()));
    Map<String, Daemon> loadedDaemons = new TreeMap<>();
    for (DaemonInfo info : stored.daemons()) {
      loadedDaemons.put(
          info.getDaemonId(), Daemon.fromWire(info).withLiveness(DaemonStatus.CONNECTED, now));
    }
    Set<TargetId> offline = new HashSet<>();
    stored.adminOffline().forEach(t -> offline.add(TargetId.of(t)));

    topology = b.build();
    tableVersions = versions;
    daemons = loadedDaemons;
    adminOffline = offline;
    awaitingReport = awaiting;
    config = stored.config();
    routingVersion = stored.routingVersion();
    cachedRouting = null;
    loaded = true;
    log.info(
        "loaded cluster state at routing version {}: {} nodes, {} targets, {} chains",
        routingVersion,
        topology.nodes().size(),
        topology.targets().size(),
        topology.chains().size());
  }

  /** Forgets the loaded state when this instance stops being primary. */
  public synchronized void unload() {
    loaded = false;
    cachedRouting = null;
  }

  public synchronized boolean isLoaded() {
    return loaded;
  }

  public synchronized long routingVersion() {
    requireLoaded();
    return routingVersion;
  }

  public synchronized ClusterTopology topology() {
    requireLoaded();
    return topology;
  }

  public synchronized List<Daemon> daemons() {
    requireLoaded();
    return List.copyOf(daemons.values());
  }

  public synchronized List<ChainTable> chainTableVersions() {
    requireLoaded();
    List<ChainTable> all = new ArrayList<>();
    tableVersions.values().forEach(v -> all.addAll(v.values()));
    return all;
  }

  public synchronized ClusterConfig config() {
    requireLoaded();
    return config.toBuilder().setVersion(routingVersion).build();
  }

  /** The routing info at the current version (built once per version). */
  public synchronized RoutingInfo routingInfo(String primaryAddress) {
    requireLoaded();
    if (cachedRouting == null || cachedRouting.getVersion() != routingVersion) {
      RoutingInfo.Builder b = RoutingInfo.newBuilder().setVersion(routingVersion);
      topology.nodes().forEach(n -> b.addNodes(MgmtdCodec.toWire(n)));
      topology.targets().forEach(t -> b.addTargets(MgmtdCodec.toWire(t, topology)));
      topology.chains().forEach(c -> b.addChains(MgmtdCodec.toWire(c, topology)));
      chainTableVersions().forEach(t -> b.addChainTables(MgmtdCodec.toWire(t)));
      daemons.values().forEach(d -> b.addDaemons(d.toWire()));
      cachedRouting = b.build();
    }
    return cachedRouting.toBuilder().setPrimaryAddress(primaryAddress).build();
  }

  // ---- membership -------------------------------------------------------------------------

  /** A daemon's heartbeat: registers it, records its targets' local states, updates chains. */
  public synchronized long heartbeat(HeartbeatRequest request) {
    requireLoaded();
    if (request.getDaemonId().isBlank()) {
      throw MgmtdException.invalid("heartbeat without a daemon id");
    }
    if (request.getKind() == DaemonKind.DAEMON_KIND_UNSPECIFIED) {
      throw MgmtdException.invalid("heartbeat from " + request.getDaemonId() + " without a kind");
    }
    Optional<NodeId> node =
        request.hasNodeId() ? Optional.of(NodeId.of(request.getNodeId())) : Optional.empty();
    if (request.getKind() == DaemonKind.STORAGE) {
      if (node.isEmpty()) {
        throw MgmtdException.invalid("storage daemon " + request.getDaemonId() + " names no node");
      }
      if (topology.findNode(node.get()).isEmpty()) {
        throw MgmtdException.notFound(
            "storage daemon " + request.getDaemonId() + " serves unknown " + node.get());
      }
    }
    long now = clock.millis();
    Daemon daemon =
        new Daemon(
            request.getDaemonId(),
            request.getKind(),
            request.getAddress(),
            node,
            DaemonStatus.CONNECTED,
            now);
    Daemon previous = daemons.get(daemon.id());
    StoreBatch batch = new StoreBatch();
    if (previous == null
        || !previous.sameIdentity(daemon)
        || previous.status() != DaemonStatus.CONNECTED) {
      batch.putDaemon(daemon.toWire());
    }
    Map<String, Daemon> nextDaemons = new TreeMap<>(daemons);
    nextDaemons.put(daemon.id(), daemon);

    ClusterTopology.Builder b = topology.toBuilder();
    Set<ChainId> touched = new LinkedHashSet<>();
    Map<TargetId, Long> nextAwaiting = new HashMap<>(awaitingReport);
    if (request.getKind() == DaemonKind.STORAGE) {
      // The daemon is the authority on where it listens: a restarted or moved daemon keeps its
      // node and targets, and routing follows it to its new addresses (an empty data address:
      // it has no data channel now, so clients read over gRPC).
      Node current = topology.node(node.get());
      String address = request.getAddress().isBlank() ? current.address() : request.getAddress();
      if (!address.equals(current.address())
          || !request.getDataAddress().equals(current.dataAddress())) {
        Node moved =
            new Node(
                current.id(), address, current.labels(), current.disks(), request.getDataAddress());
        b.putNode(moved);
        batch.putNode(MgmtdCodec.toWire(moved));
        log.info(
            "{} now listens on {}, data channel {} (was {}, {})",
            node.get(),
            moved.address(),
            moved.dataAddress().isEmpty() ? "none" : moved.dataAddress(),
            current.address(),
            current.dataAddress().isEmpty() ? "none" : current.dataAddress());
      }
      Map<TargetId, LocalTargetReport> reports = new HashMap<>();
      for (LocalTargetReport report : request.getTargetsList()) {
        reports.put(TargetId.of(report.getTargetId()), report);
      }
      for (Target target : topology.targetsOn(node.get())) {
        LocalTargetReport report = reports.get(target.id());
        TargetLocalState local =
            report == null ? TargetLocalState.OFFLINE : MgmtdCodec.fromWire(report.getLocalState());
        long used = report == null ? target.usedBytes() : report.getUsedBytes();
        if (report != null) {
          reportedChainVersions.put(target.id(), report.getChainVersion());
        }
        nextAwaiting.remove(target.id());
        // Re-evaluated on every report, changed or not: a chain may need several rounds to settle
        // (OFFLINE -> SYNCING -> SERVING for a replica that returns up to date).
        topology.chainOf(target.id()).ifPresent(touched::add);
        b.putTarget(
            new Target(
                target.id(),
                target.node(),
                target.disk(),
                target.capacityBytes(),
                used,
                target.publicState(),
                local));
      }
      for (TargetId unknown : reports.keySet()) {
        if (topology.findTarget(unknown).filter(t -> t.node().equals(node.get())).isEmpty()) {
          log.warn(
              "{} reports {}, which mgmtd does not place on {}", daemon.id(), unknown, node.get());
        }
      }
    }
    reconcileChains(b, touched, batch, adminOffline, reportedChainVersions);
    commitAndSwap(batch, b.build(), nextDaemons, adminOffline, nextAwaiting, config);
    return routingVersion;
  }

  /**
   * Failure detection, run periodically: daemons past their heartbeat timeout become FAILED and
   * their targets OFFLINE; targets never reported within their grace period become OFFLINE too.
   */
  public synchronized void checkLiveness() {
    requireLoaded();
    long now = clock.millis();
    long timeout = settings.heartbeatTimeout().toMillis();
    StoreBatch batch = new StoreBatch();
    Map<String, Daemon> nextDaemons = new TreeMap<>(daemons);
    Set<NodeId> failedNodes = new HashSet<>();
    for (Daemon d : daemons.values()) {
      if (d.status() == DaemonStatus.CONNECTED && now - d.lastHeartbeatMs() > timeout) {
        Daemon failed = d.withLiveness(DaemonStatus.FAILED, d.lastHeartbeatMs());
        nextDaemons.put(d.id(), failed);
        batch.putDaemon(failed.toWire());
        d.node().ifPresent(failedNodes::add);
        log.warn(
            "{} {} missed its heartbeats for {} ms: FAILED",
            d.kind(),
            d.id(),
            now - d.lastHeartbeatMs());
      }
    }
    Map<TargetId, Long> nextAwaiting = new HashMap<>(awaitingReport);
    ClusterTopology.Builder b = topology.toBuilder();
    Set<ChainId> touched = new LinkedHashSet<>();
    for (Target t : topology.targets()) {
      Long deadline = awaitingReport.get(t.id());
      boolean neverReported = deadline != null && deadline < now;
      if (neverReported) {
        nextAwaiting.remove(t.id());
      }
      if ((failedNodes.contains(t.node()) || neverReported)
          && t.localState() != TargetLocalState.OFFLINE) {
        b.putTarget(t.withStates(t.publicState(), TargetLocalState.OFFLINE));
        topology.chainOf(t.id()).ifPresent(touched::add);
      }
    }
    reconcileChains(b, touched, batch, adminOffline, reportedChainVersions);
    if (!batch.isEmpty() || !nextAwaiting.equals(awaitingReport)) {
      commitAndSwap(batch, b.build(), nextDaemons, adminOffline, nextAwaiting, config);
    }
  }

  // ---- admin ------------------------------------------------------------------------------

  /** Adds a storage node, or replaces its address, labels and disks. */
  public synchronized long addNode(NodeInfo info) {
    requireLoaded();
    Node given = wrapInvalid(() -> MgmtdCodec.fromWire(info));
    // The data address belongs to the daemon (its heartbeats set it): an admin call that names
    // none keeps the one the daemon reported.
    Node node =
        given.dataAddress().isEmpty()
            ? topology
                .findNode(given.id())
                .map(n -> given.withDataAddress(n.dataAddress()))
                .orElse(given)
            : given;
    ClusterTopology next = build(topology.toBuilder().putNode(node));
    return commitAndSwap(
        new StoreBatch().putNode(MgmtdCodec.toWire(node)),
        next,
        daemons,
        adminOffline,
        awaitingReport,
        config);
  }

  public synchronized long removeNode(int nodeId) {
    requireLoaded();
    NodeId id = NodeId.of(nodeId);
    if (topology.findNode(id).isEmpty()) {
      throw MgmtdException.notFound(id + " does not exist");
    }
    if (!topology.targetsOn(id).isEmpty()) {
      throw new MgmtdException(
          ErrorCode.NOT_EMPTY,
          id + " still has " + topology.targetsOn(id).size() + " targets: remove them first");
    }
    ClusterTopology next = build(topology.toBuilder().removeNode(id));
    return commitAndSwap(
        new StoreBatch().deleteNode(nodeId), next, daemons, adminOffline, awaitingReport, config);
  }

  /**
   * Creates spare targets (OFFLINE until a chain takes them); re-creating an identical one is a
   * no-op.
   */
  public synchronized long createTargets(List<TargetInfo> targets) {
    requireLoaded();
    ClusterTopology.Builder b = topology.toBuilder();
    StoreBatch batch = new StoreBatch();
    Map<TargetId, Long> nextAwaiting = new HashMap<>(awaitingReport);
    long graceEnd = clock.millis() + settings.heartbeatTimeout().toMillis();
    for (TargetInfo info : targets) {
      Target requested = wrapInvalid(() -> MgmtdCodec.fromWire(info));
      Optional<Target> existing = topology.findTarget(requested.id());
      if (existing.isPresent()) {
        Target e = existing.get();
        if (e.node().equals(requested.node())
            && e.disk() == requested.disk()
            && e.capacityBytes() == requested.capacityBytes()) {
          continue;
        }
        throw new MgmtdException(
            ErrorCode.ALREADY_EXISTS, requested.id() + " exists with another node, disk or size");
      }
      Target spare =
          new Target(
              requested.id(),
              requested.node(),
              requested.disk(),
              requested.capacityBytes(),
              0,
              TargetPublicState.OFFLINE,
              TargetLocalState.OFFLINE);
      b.putTarget(spare);
      nextAwaiting.put(spare.id(), graceEnd);
      batch.putTarget(MgmtdCodec.toWire(spare, topology));
    }
    if (batch.isEmpty()) {
      return routingVersion;
    }
    ClusterTopology next = build(b);
    return commitAndSwap(batch, next, daemons, adminOffline, nextAwaiting, config);
  }

  public synchronized long removeTarget(long targetId) {
    requireLoaded();
    TargetId id = TargetId.of(targetId);
    if (topology.findTarget(id).isEmpty()) {
      throw MgmtdException.notFound(id + " does not exist");
    }
    Optional<ChainId> chain = topology.chainOf(id);
    if (chain.isPresent()) {
      throw new MgmtdException(
          ErrorCode.NOT_EMPTY,
          id + " is a replica of " + chain.get() + ": remove it from the chain first");
    }
    ClusterTopology next = build(topology.toBuilder().removeTarget(id));
    Map<TargetId, Long> nextAwaiting = new HashMap<>(awaitingReport);
    nextAwaiting.remove(id);
    reportedChainVersions.remove(id);
    Set<TargetId> nextOffline = new HashSet<>(adminOffline);
    nextOffline.remove(id);
    return commitAndSwap(
        new StoreBatch().deleteTarget(targetId).setAdminOffline(targetId, false),
        next,
        daemons,
        nextOffline,
        nextAwaiting,
        config);
  }

  /**
   * Creates the chains that do not exist (version 1, every replica SERVING, as a freshly formatted
   * chain holds no data to lose) and sets the table's chain list; a new table version is made only
   * when the list changes.
   */
  public synchronized long setChainTable(int tableId, List<ChainSpec> specs) {
    requireLoaded();
    if (specs.isEmpty()) {
      throw MgmtdException.invalid("a chain table needs at least one chain");
    }
    ClusterTopology.Builder b = topology.toBuilder();
    StoreBatch batch = new StoreBatch();
    List<ChainId> order = new ArrayList<>();
    Map<TargetId, Long> nextAwaiting = new HashMap<>(awaitingReport);
    long graceEnd = clock.millis() + settings.heartbeatTimeout().toMillis();
    List<Chain> created = new ArrayList<>();
    for (ChainSpec spec : specs) {
      ChainId id = ChainId.of(spec.getChainId());
      order.add(id);
      List<TargetId> members = spec.getTargetIdsList().stream().map(TargetId::of).toList();
      Optional<Chain> existing = topology.findChain(id);
      if (existing.isPresent()) {
        if (!new HashSet<>(existing.get().targets()).equals(new HashSet<>(members))) {
          throw MgmtdException.invalid(
              id
                  + " exists with targets "
                  + existing.get().targets()
                  + ": change it with UpdateChain");
        }
        continue;
      }
      for (TargetId t : members) {
        Target target =
            topology
                .findTarget(t)
                .orElseThrow(() -> MgmtdException.invalid(id + " names unknown " + t));
        if (topology.chainOf(t).isPresent()) {
          throw MgmtdException.invalid(t + " already belongs to " + topology.chainOf(t).get());
        }
        // Its daemon may not have reported it yet: presume it alive for one heartbeat timeout.
        TargetLocalState local = target.localState();
        if (local == TargetLocalState.OFFLINE) {
          local = TargetLocalState.UPTODATE;
          nextAwaiting.put(t, graceEnd);
        }
        b.putTarget(target.withStates(TargetPublicState.SERVING, local));
      }
      Chain chain = new Chain(id, 1, members);
      b.putChain(chain);
      created.add(chain);
    }
    Set<Integer> replicaCounts = new java.util.TreeSet<>();
    specs.forEach(spec -> replicaCounts.add(spec.getTargetIdsCount()));
    if (replicaCounts.size() > 1) {
      throw MgmtdException.invalid(
          "table-"
              + tableId
              + " mixes chains of "
              + replicaCounts
              + " replicas; give every chain the same count");
    }
    ChainTableId table = ChainTableId.of(tableId);
    Optional<ChainTable> latest = topology.findChainTable(table);
    ChainTable nextTable = null;
    if (latest.isEmpty() || !latest.get().chains().equals(order)) {
      nextTable = new ChainTable(table, latest.map(t -> t.version() + 1).orElse(1), order);
      b.putChainTable(nextTable);
    }
    if (created.isEmpty() && nextTable == null) {
      return routingVersion;
    }
    ClusterTopology next = build(b);
    for (Chain c : created) {
      for (TargetId t : c.targets()) {
        batch.putTarget(MgmtdCodec.toWire(next.target(t), next));
      }
      batch.putChain(MgmtdCodec.toWire(c, next));
    }
    Map<ChainTableId, TreeMap<Integer, ChainTable>> nextVersions = copyVersions();
    if (nextTable != null) {
      batch.putChainTable(MgmtdCodec.toWire(nextTable));
      nextVersions.computeIfAbsent(table, k -> new TreeMap<>()).put(nextTable.version(), nextTable);
    }
    long version = store.commit(batch, selfId, clock.millis());
    swap(version, next, daemons, adminOffline, nextAwaiting, config);
    tableVersions = nextVersions;
    return version;
  }

  /** Takes a target out of service ({@code online=false}, as if it failed) or lets it rejoin. */
  public synchronized long setTargetAdminState(long targetId, boolean online) {
    requireLoaded();
    TargetId id = TargetId.of(targetId);
    if (topology.findTarget(id).isEmpty()) {
      throw MgmtdException.notFound(id + " does not exist");
    }
    Set<TargetId> nextOffline = new HashSet<>(adminOffline);
    boolean changed = online ? nextOffline.remove(id) : nextOffline.add(id);
    if (!changed) {
      return routingVersion;
    }
    StoreBatch batch = new StoreBatch().setAdminOffline(targetId, !online);
    ClusterTopology.Builder b = topology.toBuilder();
    Set<ChainId> touched = new LinkedHashSet<>();
    topology.chainOf(id).ifPresent(touched::add);
    reconcileChains(b, touched, batch, nextOffline, reportedChainVersions);
    return commitAndSwap(batch, b.build(), daemons, nextOffline, awaitingReport, config);
  }

  /**
   * Adds a spare target at the tail of a chain as OFFLINE (it syncs once its daemon reports it), or
   * removes an OFFLINE one. Either bumps the chain version.
   */
  public synchronized long updateChain(
      int chainId, long targetId, UpdateChainRequest.Action action) {
    requireLoaded();
    ChainId cid = ChainId.of(chainId);
    TargetId tid = TargetId.of(targetId);
    Chain chain =
        topology.findChain(cid).orElseThrow(() -> MgmtdException.notFound(cid + " does not exist"));
    Target target =
        topology
            .findTarget(tid)
            .orElseThrow(() -> MgmtdException.notFound(tid + " does not exist"));
    ClusterTopology.Builder b = topology.toBuilder();
    Chain next;
    switch (action) {
      case ADD -> {
        if (topology.chainOf(tid).isPresent()) {
          throw MgmtdException.invalid(tid + " already belongs to " + topology.chainOf(tid).get());
        }
        List<TargetId> members = new ArrayList<>(chain.targets());
        members.add(tid);
        next = new Chain(cid, chain.version() + 1, members);
        b.putTarget(target.withStates(TargetPublicState.OFFLINE, target.localState()));
      }
      case REMOVE -> {
        if (!chain.contains(tid)) {
          throw MgmtdException.invalid(tid + " is not in " + cid);
        }
        if (target.publicState() != TargetPublicState.OFFLINE) {
          throw new MgmtdException(
              ErrorCode.INVALID_ARGUMENT,
              "only an OFFLINE target leaves a chain; " + tid + " is " + target.publicState());
        }
        if (chain.replicas() == 1) {
          throw MgmtdException.invalid(tid + " is the last replica of " + cid);
        }
        List<TargetId> members = new ArrayList<>(chain.targets());
        members.remove(tid);
        next = new Chain(cid, chain.version() + 1, members);
      }
      default -> throw MgmtdException.invalid("UpdateChain needs an action: ADD or REMOVE");
    }
    b.putChain(next);
    StoreBatch batch = new StoreBatch();
    Set<ChainId> touched = new LinkedHashSet<>();
    touched.add(cid);
    ClusterTopology.Builder b2 = build(b).toBuilder();
    reconcileChains(b2, touched, batch, adminOffline, reportedChainVersions);
    ClusterTopology result = build(b2);
    batch.putChain(MgmtdCodec.toWire(result.chain(cid), result));
    batch.putTarget(MgmtdCodec.toWire(result.target(tid), result));
    return commitAndSwap(batch, result, daemons, adminOffline, awaitingReport, config);
  }

  public synchronized long setConfig(Map<String, String> entries) {
    requireLoaded();
    ClusterConfig next =
        ClusterConfig.newBuilder()
            .putAllEntries(config.getEntriesMap())
            .putAllEntries(entries)
            .build();
    return commitAndSwap(
        new StoreBatch().putConfig(next), topology, daemons, adminOffline, awaitingReport, next);
  }

  // ---- internals --------------------------------------------------------------------------

  /**
   * Applies the chain-state function to the touched chains, staging changes into b and batch.
   *
   * <p>A SYNCING member's UPTODATE counts as a finished sync only when its daemon decided it
   * against the chain's current version ({@code reportedVersions}); otherwise it counts as ONLINE.
   * An older UPTODATE may predate the member leaving the write path: a head taken out of service
   * and let back in at once is SYNCING before its daemon has reported anything since, and taking
   * its last report at face value would make it SERVING without the writes it missed.
   */
  private static void reconcileChains(
      ClusterTopology.Builder b,
      Set<ChainId> touched,
      StoreBatch batch,
      Set<TargetId> adminOffline,
      Map<TargetId, Long> reportedVersions) {
    for (ChainId id : touched) {
      Chain chain = b.chain(id).orElseThrow();
      List<ChainMemberState> members = new ArrayList<>();
      for (TargetId t : chain.targets()) {
        Target target = b.target(t).orElseThrow();
        TargetLocalState local =
            adminOffline.contains(t) ? TargetLocalState.OFFLINE : target.localState();
        if (target.publicState() == TargetPublicState.SYNCING
            && local == TargetLocalState.UPTODATE
            && reportedVersions.getOrDefault(t, -1L) != chain.version()) {
          local = TargetLocalState.ONLINE;
        }
        members.add(new ChainMemberState(t, target.publicState(), local));
      }
      List<ChainMemberState> next = ChainStateFunction.next(members);
      if (next.equals(members)) {
        continue;
      }
      Chain updated =
          new Chain(id, chain.version() + 1, next.stream().map(ChainMemberState::target).toList());
      b.putChain(updated);
      Map<TargetId, TargetPublicState> states = new HashMap<>();
      for (ChainMemberState m : next) {
        Target target = b.target(m.target()).orElseThrow();
        if (target.publicState() != m.publicState()) {
          Target changed = target.withStates(m.publicState(), target.localState());
          b.putTarget(changed);
          states.put(m.target(), m.publicState());
          batch.putTarget(targetWire(changed, id));
        }
      }
      ChainInfo.Builder wire =
          ChainInfo.newBuilder().setChainId(id.value()).setVersion(updated.version());
      for (ChainMemberState m : next) {
        wire.addMembersBuilder()
            .setTargetId(m.target().value())
            .setPublicState(MgmtdCodec.toWire(m.publicState()));
      }
      batch.putChain(wire.build());
      log.info("{} v{}: {}", id, updated.version(), next);
    }
  }

  private static TargetInfo targetWire(Target target, ChainId chain) {
    return TargetInfo.newBuilder()
        .setTargetId(target.id().value())
        .setNodeId(target.node().value())
        .setDisk(target.disk())
        .setCapacityBytes(target.capacityBytes())
        .setPublicState(MgmtdCodec.toWire(target.publicState()))
        .setLocalState(MgmtdCodec.toWire(target.localState()))
        .setChainId(chain.value())
        .build();
  }

  private long commitAndSwap(
      StoreBatch batch,
      ClusterTopology nextTopology,
      Map<String, Daemon> nextDaemons,
      Set<TargetId> nextAdminOffline,
      Map<TargetId, Long> nextAwaiting,
      ClusterConfig nextConfig) {
    if (batch.isEmpty()) {
      // Only in-memory facts changed (local states, usage, liveness times): no new version.
      topology = nextTopology;
      daemons = nextDaemons;
      awaitingReport = nextAwaiting;
      return routingVersion;
    }
    long version = store.commit(batch, selfId, clock.millis());
    swap(version, nextTopology, nextDaemons, nextAdminOffline, nextAwaiting, nextConfig);
    return version;
  }

  private void swap(
      long version,
      ClusterTopology nextTopology,
      Map<String, Daemon> nextDaemons,
      Set<TargetId> nextAdminOffline,
      Map<TargetId, Long> nextAwaiting,
      ClusterConfig nextConfig) {
    topology = nextTopology;
    daemons = nextDaemons;
    adminOffline = nextAdminOffline;
    awaitingReport = nextAwaiting;
    config = nextConfig;
    routingVersion = version;
    for (LongConsumer listener : versionListeners) {
      listener.accept(version);
    }
  }

  private Map<ChainTableId, TreeMap<Integer, ChainTable>> copyVersions() {
    Map<ChainTableId, TreeMap<Integer, ChainTable>> copy = new TreeMap<>();
    tableVersions.forEach((id, v) -> copy.put(id, new TreeMap<>(v)));
    return copy;
  }

  private static ClusterTopology build(ClusterTopology.Builder b) {
    return wrapInvalid(b::build);
  }

  private static <T> T wrapInvalid(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (IllegalArgumentException e) {
      throw MgmtdException.invalid(e.getMessage());
    }
  }

  private static TargetLocalState presumedLocal(TargetPublicState state) {
    return switch (state) {
      case SERVING -> TargetLocalState.UPTODATE;
      case SYNCING, WAITING -> TargetLocalState.ONLINE;
      case LASTSRV, OFFLINE -> TargetLocalState.OFFLINE;
    };
  }

  private void requireLoaded() {
    if (!loaded) {
      throw new MgmtdException(ErrorCode.NOT_PRIMARY, "this mgmtd is not the primary");
    }
  }
}
