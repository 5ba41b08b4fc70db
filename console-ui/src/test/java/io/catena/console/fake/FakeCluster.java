package io.catena.console.fake;

import io.catena.protocol.controlplane.AuditEntry;
import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.Condition;
import io.catena.protocol.controlplane.DaemonInfo;
import io.catena.protocol.controlplane.DiskInfo;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.NodeInfo;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.PlanOperationRequest;
import io.catena.protocol.controlplane.PlanStepInfo;
import io.catena.protocol.controlplane.SelfHealingState;
import io.catena.protocol.controlplane.StateCount;
import io.catena.protocol.controlplane.TargetInfo;
import io.catena.protocol.controlplane.TenantInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * TEST FIXTURE, not shipped: a scripted cluster behind the fake ControlPlane and Operations
 * services, so the console can be driven and rendered before the real control plane exists. It
 * holds nodes, targets and chains; tenants; operations that advance one step per {@link #tick()};
 * events; audit; and a per-target load that {@link #skew} makes hot. All methods are synchronized.
 */
public final class FakeCluster {

  static final long TARGET_BYTES = 200L << 30;
  static final String[] RACKS = {"rack-a", "rack-b", "rack-c"};

  final int replicas;
  final int disksPerNode;
  final int targetsPerDisk;
  final List<NodeInfo.Builder> nodes = new ArrayList<>();
  final Map<Long, TargetInfo.Builder> targets = new LinkedHashMap<>();
  final Map<Integer, ChainInfo.Builder> chains = new TreeMap<>();

  /** chain id → its targets, head first. */
  final Map<Integer, List<Long>> members = new HashMap<>();

  final Map<Long, Double> load = new HashMap<>();
  final Map<String, TenantInfo.Builder> tenants = new TreeMap<>();
  final Map<String, String> tokens = new HashMap<>();
  final Map<String, OperationInfo.Builder> operations = new LinkedHashMap<>();
  final List<Event> events = new ArrayList<>();
  final List<AuditEntry> audit = new ArrayList<>();
  final List<Consumer<Event>> watchers = new ArrayList<>();
  final SelfHealingState.Builder selfHealing =
      SelfHealingState.newBuilder()
          .setOfflineTimeoutMs(300_000)
          .setMaxConcurrentRepairs(2)
          .setRepairsPerHour(6);
  private final Random random = new Random(42);
  private long sequence;
  private int nextOperation = 1;
  private long routingVersion = 1;
  private int tokenCounter;
  long now = 1_764_050_000_000L; // a fixed clock: screenshots and tests are repeatable

  public FakeCluster(int nodeCount, int disksPerNode, int targetsPerDisk, int replicas) {
    this.replicas = replicas;
    this.disksPerNode = disksPerNode;
    this.targetsPerDisk = targetsPerDisk;
    addNodes(nodeCount);
    layChains(0);
  }

  /** A small cluster that looks lived-in: one syncing target, a failing daemon, two tenants. */
  public static FakeCluster demo() {
    FakeCluster c = new FakeCluster(9, 2, 10, 3);
    c.makeLivedIn();
    return c;
  }

  synchronized void makeLivedIn() {
    List<TargetInfo.Builder> all = new ArrayList<>(targets.values());
    TargetInfo.Builder syncing = all.get(27);
    syncing.setPublicState("SYNCING").setLocalState("ONLINE");
    chains.get(syncing.getChainId()).setSyncProgress(0.62).setVersion(4);
    NodeInfo.Builder n2 = nodes.get(1);
    n2.getDaemonsBuilder(1)
        .setState("FAILING")
        .setRestarts(3)
        .setLastError("exit 137: killed (out of memory)");
    createTenant("team-llama", 2L << 40, 5_000_000);
    tenants.get("team-llama").setUsedBytes(1_400L << 30).setFiles(1_210_000);
    createTenant("search-rag", 512L << 30, 0);
    tenants.get("search-rag").setUsedBytes(470L << 30).setFiles(88_000);
    event(Event.Kind.ALERT, "WARNING", "mgmtd-2 on node-2 restarted 3 times in 10 minutes", null);
    event(
        Event.Kind.STATUS,
        "INFO",
        "target " + syncing.getTargetId() + " is syncing from its predecessor",
        null);
  }

  // ---- shape -----------------------------------------------------------------------------------

  /** Adds nodes with disks, daemons and targets (targets not yet in chains: chain id 0). */
  synchronized List<String> addNodes(int count) {
    List<String> added = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int id = nodes.size() + 1;
      String name = "node-" + id;
      NodeInfo.Builder node =
          NodeInfo.newBuilder()
              .setName(name)
              .setNodeId(id)
              .setAgentEndpoint("127.0.0.1:" + (7100 + id))
              .setJoined(true)
              .setState("ACTIVE")
              .putLabels("zone", "z1")
              .putLabels("rack", RACKS[(id - 1) % RACKS.length]);
      for (int d = 0; d < disksPerNode; d++) {
        node.addDisks(
            DiskInfo.newBuilder()
                .setPath("/data/nvme" + d)
                .setCapacityBytes(targetsPerDisk * TARGET_BYTES)
                .setFreeBytes(targetsPerDisk * TARGET_BYTES / 2));
      }
      node.addDaemons(daemon(name, "storage-" + id, "storage", 9000 + id));
      if (id <= 3) {
        node.addDaemons(daemon(name, "mgmtd-" + id, "mgmtd", 8000 + id));
      }
      if (id <= 2) {
        node.addDaemons(daemon(name, "meta-" + id, "meta", 8500 + id));
      }
      if (id == 1) {
        node.addDaemons(daemon(name, "gateway-1", "gateway", 8080));
      }
      nodes.add(node);
      for (int d = 0; d < disksPerNode; d++) {
        for (int t = 0; t < targetsPerDisk; t++) {
          long targetId = id * 10_000L + d * 100L + t + 1;
          targets.put(
              targetId,
              TargetInfo.newBuilder()
                  .setTargetId(targetId)
                  .setNodeId(id)
                  .setNode(name)
                  .setDisk("/data/nvme" + d)
                  .setPublicState("SERVING")
                  .setLocalState("UPTODATE")
                  .setCapacityBytes(TARGET_BYTES)
                  .setUsedBytes(TARGET_BYTES / 2 - random.nextInt(1 << 20) * 4096L));
          load.put(targetId, 0.7 + random.nextDouble() * 0.6);
        }
      }
      added.add(name);
    }
    return added;
  }

  private static DaemonInfo.Builder daemon(String node, String name, String kind, int port) {
    return DaemonInfo.newBuilder()
        .setNode(node)
        .setName(name)
        .setKind(kind)
        .setState("HEALTHY")
        .setPid(4000 + port % 1000)
        .setEndpoint("127.0.0.1:" + port)
        .setVersion("0.1.0")
        .setUptimeMs(3 * 3_600_000L + port * 1000L);
  }

  /**
   * Puts the targets of nodes from index {@code firstNode} on into new chains of {@link #replicas}
   * members on distinct nodes: slot s goes to node s mod n, so a chain's members differ.
   */
  synchronized int layChains(int firstNode) {
    List<NodeInfo.Builder> pool = nodes.subList(firstNode, nodes.size());
    int n = pool.size();
    Map<Integer, List<TargetInfo.Builder>> free = new HashMap<>();
    for (TargetInfo.Builder t : targets.values()) {
      if (t.getChainId() == 0 && t.getNodeId() > firstNode) {
        free.computeIfAbsent(t.getNodeId(), k -> new ArrayList<>()).add(t);
      }
    }
    int perNode = disksPerNode * targetsPerDisk;
    Map<Integer, Integer> used = new HashMap<>();
    int total = n * perNode;
    int created = 0;
    int nextChain =
        chains.isEmpty() ? 1 : chains.keySet().stream().mapToInt(i -> i).max().getAsInt() + 1;
    for (int c = 0; c < total / replicas; c++) {
      int chainId = nextChain + c;
      ChainInfo.Builder chain =
          ChainInfo.newBuilder()
              .setChainId(chainId)
              .setVersion(1)
              .setChainTableId(1)
              .setSyncProgress(1);
      List<Long> order = new ArrayList<>();
      for (int r = 0; r < replicas; r++) {
        int s = c * replicas + r;
        // Slot s goes to node s mod n, shifted by one per round of n chains so chains mix nodes;
        // a chain never straddles a round, so its members stay on distinct nodes.
        int round = s / (n * replicas);
        int nodeId = pool.get((s % n + round) % n).getNodeId();
        // Spread each node's targets over its disks: local slot k lands on disk k mod disks.
        int k = used.merge(nodeId, 1, Integer::sum) - 1;
        List<TargetInfo.Builder> candidates = free.get(nodeId);
        TargetInfo.Builder t = candidates.get(order(k));
        t.setChainId(chainId);
        order.add(t.getTargetId());
      }
      chains.put(chainId, chain);
      members.put(chainId, order);
      created++;
    }
    routingVersion++;
    return created;
  }

  private int order(int k) {
    int disk = k % disksPerNode;
    int slot = k / disksPerNode;
    return disk * targetsPerDisk + slot;
  }

  /** A chain as the API shows it: its members' current state, head first. */
  synchronized ChainInfo chain(int chainId) {
    ChainInfo.Builder chain = chains.get(chainId).clone().clearTargets();
    boolean allServing = true;
    for (long id : members.get(chainId)) {
      TargetInfo t = targets.get(id).build();
      allServing &= t.getPublicState().equals("SERVING");
      chain.addTargets(t);
    }
    if (allServing) {
      chain.setSyncProgress(1);
    }
    return chain.build();
  }

  // ---- status ----------------------------------------------------------------------------------

  synchronized ClusterStatusReply status() {
    Map<String, Integer> byState = new TreeMap<>();
    long capacity = 0;
    long used = 0;
    for (TargetInfo.Builder t : targets.values()) {
      byState.merge(t.getPublicState(), 1, Integer::sum);
      capacity += t.getCapacityBytes();
      used += t.getUsedBytes();
    }
    Map<String, Integer> chainStates = new TreeMap<>();
    for (int chainId : chains.keySet()) {
      ChainInfo c = chain(chainId);
      long serving =
          c.getTargetsList().stream().filter(t -> t.getPublicState().equals("SERVING")).count();
      String s =
          serving == c.getTargetsCount() ? "healthy" : serving == 0 ? "unavailable" : "degraded";
      chainStates.merge(s, 1, Integer::sum);
    }
    boolean degraded =
        chainStates.containsKey("degraded") || chainStates.containsKey("unavailable");
    boolean progressing =
        operations.values().stream().anyMatch(o -> o.getState().equals("RUNNING"));
    ClusterStatusReply.Builder reply =
        ClusterStatusReply.newBuilder()
            .setGeneration(routingVersion)
            .setObservedGeneration(routingVersion)
            .addConditions(
                condition(
                    "Ready", "True", "AllChainsWritable", chains.size() + " chains accept writes"))
            .addConditions(
                condition(
                    "Progressing",
                    progressing ? "True" : "False",
                    progressing ? "OperationRunning" : "Idle",
                    progressing ? "an operation is changing the cluster" : ""))
            .addConditions(
                condition(
                    "Degraded",
                    degraded ? "True" : "False",
                    degraded ? "ChainsSyncing" : "AllReplicasServing",
                    degraded
                        ? chainStates.getOrDefault("degraded", 0)
                            + " chain(s) below full replication"
                        : ""))
            .setMgmtdPrimary("mgmtd-1")
            .addMgmtdEndpoints("127.0.0.1:8001")
            .setMetaEndpoint("127.0.0.1:8501")
            .setGatewayEndpoint("127.0.0.1:8080")
            .setNodes(nodes.size())
            .setCapacityBytes(capacity)
            .setUsedBytes(used)
            .setRoutingVersion(routingVersion)
            .setUpdatedAtMs(now);
    byState.forEach(
        (s, n) -> reply.addTargetsByState(StateCount.newBuilder().setState(s).setCount(n)));
    chainStates.forEach(
        (s, n) -> reply.addChainsByState(StateCount.newBuilder().setState(s).setCount(n)));
    return reply.build();
  }

  private Condition condition(String type, String status, String reason, String message) {
    return Condition.newBuilder()
        .setType(type)
        .setStatus(status)
        .setReason(reason)
        .setMessage(message)
        .setLastTransitionTimeMs(now - 60_000)
        .build();
  }

  // ---- tenants ---------------------------------------------------------------------------------

  synchronized String createTenant(String name, long quotaBytes, long quotaFiles) {
    tenants.put(
        name,
        TenantInfo.newBuilder()
            .setName(name)
            .setQuotaBytes(quotaBytes)
            .setQuotaFiles(quotaFiles)
            .addChainTables(1));
    String token = newToken(name);
    audit("admin", "create-tenant", name, "OK", "quota " + quotaBytes + " bytes");
    return token;
  }

  synchronized String newToken(String name) {
    String token =
        "ctk_" + name + "_" + Long.toHexString(0x5eed0000L + ++tokenCounter * 7919L) + "f3a9c1";
    tokens.put(name, token);
    return token;
  }

  // ---- operations ------------------------------------------------------------------------------

  synchronized OperationInfo plan(PlanOperationRequest request) {
    String id = "op-" + nextOperation++;
    OperationInfo.Builder op =
        OperationInfo.newBuilder()
            .setId(id)
            .setState("PLANNED")
            .setRequestedBy(request.getRequestedBy().isEmpty() ? "admin" : request.getRequestedBy())
            .setCreatedAtMs(now)
            .setUpdatedAtMs(now)
            .setEtaMs(-1);
    List<String> steps = new ArrayList<>();
    long bytes;
    switch (request.getOperationCase()) {
      case SCALE_OUT -> {
        int add = Math.max(1, request.getScaleOut().getAddNodes());
        if (add < replicas) {
          op.setKind("scale-out")
              .setSummary("add " + add + " node(s)")
              .setState("REFUSED")
              .setMessage(
                  "new chains need "
                      + replicas
                      + " replicas on distinct nodes: add at least "
                      + replicas
                      + " nodes");
          audit(op.getRequestedBy(), "plan scale-out", op.getId(), "REFUSED", op.getMessage());
          return store(op, steps, 0);
        }
        op.setKind("scale-out")
            .setSummary("add " + add + " node(s), " + request.getScaleOut().getMode() + " mode");
        for (int i = 0; i < add; i++) {
          steps.add("start agent and storage on node-" + (nodes.size() + i + 1));
        }
        steps.add("create " + add * disksPerNode * targetsPerDisk + " targets and their chains");
        steps.add("migrate chain members onto the new nodes");
        steps.add("publish routing v" + (routingVersion + 1));
        bytes = add * disksPerNode * targetsPerDisk * (TARGET_BYTES / 8);
      }
      case REPAIR -> {
        long target = request.getRepair().getTargetId();
        if (!targets.containsKey(target)) {
          op.setKind("repair")
              .setSummary("replace target " + target)
              .setState("REFUSED")
              .setMessage("target " + target + " does not exist");
          return store(op, steps, 0);
        }
        op.setKind("repair").setSummary("replace target " + target);
        steps.add("offline target " + target);
        steps.add("create a replacement target");
        steps.add("sync from the chain's predecessor");
        bytes = TARGET_BYTES / 2;
      }
      case DRAIN -> {
        op.setKind("drain").setSummary("drain " + request.getDrain().getNode());
        steps.add("move the node's chain members elsewhere");
        steps.add(
            "mark "
                + request.getDrain().getNode()
                + (request.getDrain().getDecommission() ? " decommissioned" : " drained"));
        bytes = disksPerNode * targetsPerDisk * TARGET_BYTES / 2;
      }
      case ROLLING_RESTART -> {
        op.setKind("rolling-restart")
            .setSummary("restart every daemon, one node at a time, mgmtd primary last");
        for (NodeInfo.Builder n : nodes) {
          steps.add("restart daemons on " + n.getName());
        }
        bytes = 0;
      }
      case REBALANCE -> {
        op.setKind("rebalance")
            .setSummary(
                "move hot chain heads to cooler nodes ("
                    + request.getRebalance().getWindow()
                    + ")");
        steps.add("move the hottest chain's head");
        steps.add("publish routing v" + (routingVersion + 1));
        bytes = TARGET_BYTES / 4;
      }
      default ->
          throw new IllegalArgumentException(
              "operation: one of scale_out, repair, drain, rolling_restart, rebalance");
    }
    store(op, steps, bytes);
    op.setEtaMs(steps.size() * 4_000L);
    operations.put(id, op);
    event(Event.Kind.OPERATION, "INFO", op.getKind() + " " + id + " planned", op.build());
    audit(op.getRequestedBy(), "plan " + op.getKind(), id, "PLANNED", op.getSummary());
    if (request.getAutoApprove()) {
      approve(id, op.getRequestedBy());
    }
    return op.build();
  }

  private OperationInfo store(OperationInfo.Builder op, List<String> steps, long bytes) {
    for (int i = 0; i < steps.size(); i++) {
      op.addSteps(
          PlanStepInfo.newBuilder()
              .setIndex(i)
              .setDescription(steps.get(i))
              .setBytes(steps.isEmpty() ? 0 : bytes / steps.size())
              .setState("PENDING"));
    }
    op.setBytesToMove(bytes);
    operations.put(op.getId(), op);
    return op.build();
  }

  synchronized OperationInfo approve(String id, String by) {
    OperationInfo.Builder op = operation(id);
    if (!op.getState().equals("PLANNED")) {
      throw new IllegalStateException(
          "operation " + id + " is " + op.getState() + ", only a PLANNED one can be approved");
    }
    op.setState("RUNNING").setUpdatedAtMs(now);
    op.getStepsBuilder(0).setState("RUNNING");
    audit(by, "approve", id, "RUNNING", op.getSummary());
    event(Event.Kind.OPERATION, "INFO", op.getKind() + " " + id + " approved by " + by, op.build());
    return op.build();
  }

  synchronized OperationInfo cancel(String id, String by) {
    OperationInfo.Builder op = operation(id);
    if (!op.getState().equals("PLANNED") && !op.getState().equals("RUNNING")) {
      throw new IllegalStateException("operation " + id + " already ended (" + op.getState() + ")");
    }
    op.setState("CANCELLED").setUpdatedAtMs(now).setEtaMs(-1);
    for (PlanStepInfo.Builder s : op.getStepsBuilderList()) {
      if (!s.getState().equals("DONE")) {
        s.setState("CANCELLED");
      }
    }
    audit(by, "cancel", id, "CANCELLED", op.getSummary());
    event(
        Event.Kind.OPERATION,
        "WARNING",
        op.getKind() + " " + id + " cancelled by " + by,
        op.build());
    return op.build();
  }

  synchronized OperationInfo.Builder operation(String id) {
    OperationInfo.Builder op = operations.get(id);
    if (op == null) {
      throw new java.util.NoSuchElementException("no operation " + id);
    }
    return op;
  }

  /** Advances the clock one second and every running operation one step. */
  public synchronized void tick() {
    now += 1_000;
    for (OperationInfo.Builder op : List.copyOf(operations.values())) {
      if (!op.getState().equals("RUNNING")) {
        continue;
      }
      int steps = op.getStepsCount();
      int running = 0;
      while (running < steps && op.getSteps(running).getState().equals("DONE")) {
        running++;
      }
      op.getStepsBuilder(running).setState("DONE");
      long moved =
          op.getStepsList().stream()
              .filter(s -> s.getState().equals("DONE"))
              .mapToLong(PlanStepInfo::getBytes)
              .sum();
      int done = running + 1;
      op.setProgress((double) done / steps)
          .setBytesMoved(moved)
          .setUpdatedAtMs(now)
          .setEtaMs((steps - done) * 4_000L);
      if (done == steps) {
        finish(op);
        op.setState("SUCCEEDED").setEtaMs(0);
        audit("control-plane", op.getKind(), op.getId(), "SUCCEEDED", op.getSummary());
        event(
            Event.Kind.OPERATION,
            "INFO",
            op.getKind() + " " + op.getId() + " succeeded",
            op.build());
      } else {
        op.getStepsBuilder(done).setState("RUNNING");
        event(
            Event.Kind.OPERATION,
            "INFO",
            op.getKind() + " " + op.getId() + ": step " + done + "/" + steps + " done",
            op.build());
      }
    }
  }

  private void finish(OperationInfo.Builder op) {
    if (op.getKind().equals("scale-out")) {
      int before = nodes.size();
      int add =
          (int)
              op.getStepsList().stream()
                  .filter(s -> s.getDescription().startsWith("start agent"))
                  .count();
      List<String> added = addNodes(add);
      int chainsAdded = layChains(before);
      op.setMessage("added " + String.join(", ", added) + " and " + chainsAdded + " chains");
    } else if (op.getKind().equals("rebalance")) {
      load.replaceAll((t, l) -> Math.min(l, 1.3));
      op.setMessage("the hot chain's head moved; load is even again");
    } else if (op.getKind().equals("repair")) {
      op.setMessage("replacement target is serving");
    }
  }

  // ---- events, audit, load ---------------------------------------------------------------------

  synchronized void event(Event.Kind kind, String severity, String message, OperationInfo op) {
    Event.Builder e =
        Event.newBuilder()
            .setSequence(++sequence)
            .setAtMs(now)
            .setKind(kind)
            .setSeverity(severity)
            .setMessage(message);
    if (op != null) {
      e.setOperation(op);
    }
    Event event = e.build();
    events.add(event);
    for (Consumer<Event> w : List.copyOf(watchers)) {
      w.accept(event);
    }
  }

  synchronized void audit(String who, String action, String target, String outcome, String detail) {
    AuditEntry entry =
        AuditEntry.newBuilder()
            .setAtMs(now)
            .setWho(who)
            .setAction(action)
            .setTarget(target)
            .setOutcome(outcome)
            .setDetail(detail)
            .build();
    audit.add(entry);
    event(Event.Kind.AUDIT, "INFO", who + " " + action + " " + target + ": " + outcome, null);
  }

  /** Makes one chain's targets carry {@code factor} times their load: a skewed workload. */
  public synchronized void skew(int chainId, double factor) {
    for (TargetInfo.Builder t : targets.values()) {
      if (t.getChainId() == chainId) {
        load.put(t.getTargetId(), load.get(t.getTargetId()) * factor);
      }
    }
    event(
        Event.Kind.ALERT,
        "WARNING",
        "chain " + chainId + " carries " + Math.round(factor) + "× its share of reads",
        null);
  }

  public synchronized int chainCount() {
    return chains.size();
  }

  public synchronized int nodeCount() {
    return nodes.size();
  }

  public synchronized boolean tenantTokenIs(String tenant, String token) {
    return token.equals(tokens.get(tenant));
  }
}
