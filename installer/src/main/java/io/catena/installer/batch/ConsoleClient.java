package io.catena.installer.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.Condition;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.CreateTenantRequest;
import io.catena.protocol.controlplane.Drain;
import io.catena.protocol.controlplane.GetSelfHealingRequest;
import io.catena.protocol.controlplane.GetStatusRequest;
import io.catena.protocol.controlplane.ListOperationsRequest;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.NodeInfo;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.OperationRef;
import io.catena.protocol.controlplane.OperationsGrpc;
import io.catena.protocol.controlplane.PlanOperationRequest;
import io.catena.protocol.controlplane.Rebalance;
import io.catena.protocol.controlplane.Repair;
import io.catena.protocol.controlplane.RollingRestart;
import io.catena.protocol.controlplane.ScaleOut;
import io.catena.protocol.controlplane.SelfHealingState;
import io.catena.protocol.controlplane.SetSelfHealingRequest;
import io.catena.protocol.controlplane.StateCount;
import io.catena.protocol.controlplane.TargetInfo;
import io.catena.protocol.controlplane.TenantRef;
import io.catena.protocol.controlplane.TenantTokenReply;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs console commands against a control plane over gRPC: ControlPlane for state and tenants,
 * Operations for what changes the cluster's shape. An operation command plans with auto-approval
 * and, unless told not to wait, follows the operation until it ends; anything but SUCCEEDED is a
 * failure with the operation's reason.
 */
public final class ConsoleClient implements AutoCloseable {

  /** What a command printed: a human line (or lines) and the same as JSON. */
  public record Result(String text, ObjectNode json) {}

  /**
   * The command reached the control plane and failed (a refused or failed operation, a timeout).
   */
  public static final class CommandFailedException extends RuntimeException {
    public CommandFailedException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** Names the CatenaCluster a call to the operator's Operations API is for. */
  private static final Metadata.Key<String> CLUSTER =
      Metadata.Key.of("catena-cluster", Metadata.ASCII_STRING_MARSHALLER);

  private final String endpoint;
  private final String who;
  private final ManagedChannel channel;
  private final ControlPlaneGrpc.ControlPlaneBlockingStub control;
  private final OperationsGrpc.OperationsBlockingStub operations;
  private final Duration pollInterval;

  public ConsoleClient(String endpoint, String token, String who, Duration pollInterval) {
    this(endpoint, token, who, pollInterval, null, InsecureChannelCredentials.create());
  }

  /**
   * @param cluster the CatenaCluster ({@code namespace/name}) when {@code endpoint} is the
   *     Kubernetes operator's Operations API; null for a control plane
   */
  public ConsoleClient(
      String endpoint,
      String token,
      String who,
      Duration pollInterval,
      String cluster,
      io.grpc.ChannelCredentials credentials) {
    this.endpoint = endpoint;
    this.who = who;
    this.pollInterval = pollInterval;
    this.channel = Grpc.newChannelBuilder(endpoint, credentials).build();
    Channel ch =
        token == null || token.isBlank()
            ? channel
            : ClientInterceptors.intercept(channel, bearer(token));
    if (cluster != null && !cluster.isBlank()) {
      ch = ClientInterceptors.intercept(ch, header(CLUSTER, cluster.strip()));
    }
    this.control = ControlPlaneGrpc.newBlockingStub(ch);
    this.operations = OperationsGrpc.newBlockingStub(ch);
  }

  private static ClientInterceptor bearer(String token) {
    return header(AUTHORIZATION, "Bearer " + token);
  }

  private static ClientInterceptor header(Metadata.Key<String> key, String value) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            headers.put(key, value);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  private ControlPlaneGrpc.ControlPlaneBlockingStub control() {
    return control.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private OperationsGrpc.OperationsBlockingStub ops() {
    return operations.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public Result run(ConsoleCommand command) throws InterruptedException {
    try {
      return switch (command) {
        case ConsoleCommand.Status s ->
            status(control().getStatus(GetStatusRequest.getDefaultInstance()));
        case ConsoleCommand.Nodes n -> nodes();
        case ConsoleCommand.Chains c -> chains();
        case ConsoleCommand.Operations o -> operationList();
        case ConsoleCommand.ScaleOut s ->
            operation(
                PlanOperationRequest.newBuilder()
                    .setScaleOut(
                        ScaleOut.newBuilder()
                            .setAddNodes(s.nodes())
                            .setStepSize(s.step())
                            .setMode(s.mode())),
                s.follow());
        case ConsoleCommand.Repair r ->
            operation(
                PlanOperationRequest.newBuilder()
                    .setRepair(Repair.newBuilder().setTargetId(r.target())),
                r.follow());
        case ConsoleCommand.Drain d ->
            operation(
                PlanOperationRequest.newBuilder()
                    .setDrain(
                        Drain.newBuilder().setNode(d.node()).setDecommission(d.decommission())),
                d.follow());
        case ConsoleCommand.RollingRestart r ->
            operation(
                PlanOperationRequest.newBuilder()
                    .setRollingRestart(RollingRestart.newBuilder().addAllNodes(r.nodes())),
                r.follow());
        case ConsoleCommand.Rebalance r ->
            operation(
                PlanOperationRequest.newBuilder()
                    .setRebalance(Rebalance.newBuilder().setWindow(r.window())),
                r.follow());
        case ConsoleCommand.WaitReady w -> waitReady(w.timeout());
        case ConsoleCommand.TenantCreate t -> tenantCreate(t);
        case ConsoleCommand.TenantDelete t -> tenantDelete(t);
        case ConsoleCommand.SelfHealing h -> selfHealing(h.paused());
      };
    } catch (StatusRuntimeException e) {
      String why =
          e.getStatus().getDescription() == null
              ? e.getStatus().getCode().toString()
              : e.getStatus().getDescription();
      switch (e.getStatus().getCode()) {
        case UNAVAILABLE, DEADLINE_EXCEEDED ->
            throw new CommandFailedException(
                "control plane at " + endpoint + " unreachable: " + why);
        case INVALID_ARGUMENT, NOT_FOUND -> throw new IllegalArgumentException(why);
        default -> throw new CommandFailedException(why);
      }
    }
  }

  private Result status(ClusterStatusReply s) {
    ObjectNode json = JSON.createObjectNode();
    json.put("generation", s.getGeneration());
    json.put("observedGeneration", s.getObservedGeneration());
    json.put("mgmtdPrimary", s.getMgmtdPrimary());
    json.put("nodes", s.getNodes());
    json.put("routingVersion", s.getRoutingVersion());
    json.put("capacityBytes", s.getCapacityBytes());
    json.put("usedBytes", s.getUsedBytes());
    ArrayNode conditions = json.putArray("conditions");
    for (Condition c : s.getConditionsList()) {
      conditions
          .addObject()
          .put("type", c.getType())
          .put("status", c.getStatus())
          .put("reason", c.getReason())
          .put("message", c.getMessage());
    }
    ObjectNode targets = json.putObject("targetsByState");
    s.getTargetsByStateList().forEach(c -> targets.put(c.getState(), c.getCount()));
    ObjectNode chains = json.putObject("chainsByState");
    s.getChainsByStateList().forEach(c -> chains.put(c.getState(), c.getCount()));
    String text =
        s.getConditionsList().stream()
                .map(
                    c ->
                        c.getType()
                            + "="
                            + c.getStatus()
                            + (c.getReason().isEmpty() ? "" : " (" + c.getReason() + ")"))
                .collect(Collectors.joining(", "))
            + "; nodes "
            + s.getNodes()
            + "; targets "
            + counts(s.getTargetsByStateList())
            + "; chains "
            + counts(s.getChainsByStateList())
            + "; mgmtd primary "
            + (s.getMgmtdPrimary().isEmpty() ? "none" : s.getMgmtdPrimary());
    return new Result(text, json);
  }

  private static String counts(List<StateCount> counts) {
    return counts.isEmpty()
        ? "none"
        : counts.stream()
            .map(c -> c.getState() + " " + c.getCount())
            .collect(Collectors.joining(", "));
  }

  private Result nodes() {
    List<NodeInfo> nodes = control().listNodes(ListRequest.getDefaultInstance()).getNodesList();
    ObjectNode json = JSON.createObjectNode();
    ArrayNode array = json.putArray("nodes");
    StringBuilder text = new StringBuilder();
    for (NodeInfo n : nodes) {
      ObjectNode o = array.addObject();
      o.put("name", n.getName()).put("nodeId", n.getNodeId()).put("state", n.getState());
      o.put("agent", n.getAgentEndpoint()).put("joined", n.getJoined());
      ObjectNode labels = o.putObject("labels");
      n.getLabelsMap().forEach(labels::put);
      ArrayNode daemons = o.putArray("daemons");
      n.getDaemonsList()
          .forEach(
              d ->
                  daemons
                      .addObject()
                      .put("name", d.getName())
                      .put("kind", d.getKind())
                      .put("state", d.getState()));
      text.append(
          String.format(
              "%-12s id %-4d %-14s %s%n",
              n.getName(),
              n.getNodeId(),
              n.getState(),
              n.getDaemonsList().stream()
                  .map(d -> d.getName() + ":" + d.getState())
                  .collect(Collectors.joining(" "))));
    }
    return new Result(text.toString().stripTrailing(), json);
  }

  private Result chains() {
    var reply = control().listChains(ListRequest.getDefaultInstance());
    ObjectNode json = JSON.createObjectNode();
    json.put("routingVersion", reply.getRoutingVersion());
    ArrayNode array = json.putArray("chains");
    StringBuilder text = new StringBuilder();
    for (ChainInfo c : reply.getChainsList()) {
      ObjectNode o = array.addObject();
      o.put("chainId", c.getChainId())
          .put("version", c.getVersion())
          .put("chainTableId", c.getChainTableId());
      o.put("syncProgress", c.getSyncProgress());
      ArrayNode targets = o.putArray("targets");
      for (TargetInfo t : c.getTargetsList()) {
        targets
            .addObject()
            .put("targetId", t.getTargetId())
            .put("nodeId", t.getNodeId())
            .put("state", t.getPublicState());
      }
      text.append("chain-")
          .append(c.getChainId())
          .append(" v")
          .append(c.getVersion())
          .append(": ")
          .append(
              c.getTargetsList().stream()
                  .map(t -> t.getTargetId() + "@" + t.getNodeId() + " " + t.getPublicState())
                  .collect(Collectors.joining(" -> ")))
          .append('\n');
    }
    return new Result(text.toString().stripTrailing(), json);
  }

  private Result operationList() {
    List<OperationInfo> ops =
        ops().listOperations(ListOperationsRequest.getDefaultInstance()).getOperationsList();
    ObjectNode json = JSON.createObjectNode();
    ArrayNode array = json.putArray("operations");
    StringBuilder text = new StringBuilder();
    for (OperationInfo op : ops) {
      array.add(operationJson(op));
      text.append(operationLine(op)).append('\n');
    }
    return new Result(text.toString().stripTrailing(), json);
  }

  private Result operation(PlanOperationRequest.Builder request, boolean wait)
      throws InterruptedException {
    OperationInfo op =
        ops().planOperation(request.setAutoApprove(true).setRequestedBy(who).build());
    if (op.getState().equals("REFUSED")) {
      throw new CommandFailedException(
          op.getId() + " " + op.getKind() + " refused: " + op.getMessage());
    }
    if (op.getState().equals("PLANNED")) {
      throw new CommandFailedException(
          op.getId() + " " + op.getKind() + " was planned but not started: " + op.getMessage());
    }
    while (wait && (op.getState().equals("RUNNING") || op.getState().equals("PLANNED"))) {
      Thread.sleep(pollInterval.toMillis());
      op = ops().getOperation(OperationRef.newBuilder().setId(op.getId()).build());
    }
    if (wait && !op.getState().equals("SUCCEEDED")) {
      throw new CommandFailedException(
          op.getId() + " " + op.getKind() + " " + op.getState() + ": " + op.getMessage());
    }
    ObjectNode json = JSON.createObjectNode();
    json.set("operation", operationJson(op));
    return new Result(operationLine(op), json);
  }

  private static String operationLine(OperationInfo op) {
    return op.getId()
        + " "
        + op.getKind()
        + " "
        + op.getState()
        + String.format(" %.0f%%", op.getProgress() * 100)
        + " ("
        + op.getStepsCount()
        + " steps, "
        + op.getBytesMoved()
        + "/"
        + op.getBytesToMove()
        + " bytes): "
        + op.getSummary()
        + (op.getMessage().isEmpty() ? "" : " — " + op.getMessage());
  }

  private static ObjectNode operationJson(OperationInfo op) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", op.getId())
        .put("kind", op.getKind())
        .put("state", op.getState())
        .put("summary", op.getSummary())
        .put("progress", op.getProgress())
        .put("bytesToMove", op.getBytesToMove())
        .put("bytesMoved", op.getBytesMoved())
        .put("etaMs", op.getEtaMs())
        .put("message", op.getMessage())
        .put("requestedBy", op.getRequestedBy());
    ArrayNode steps = o.putArray("steps");
    op.getStepsList()
        .forEach(
            s ->
                steps
                    .addObject()
                    .put("description", s.getDescription())
                    .put("bytes", s.getBytes())
                    .put("state", s.getState()));
    return o;
  }

  private Result waitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ClusterStatusReply last = null;
    while (true) {
      try {
        last = control().getStatus(GetStatusRequest.getDefaultInstance());
        if (last.getConditionsList().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
          return status(last);
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        String why =
            last == null
                ? "the control plane at " + endpoint + " never answered"
                : last.getConditionsList().stream()
                    .filter(c -> c.getType().equals("Ready"))
                    .map(c -> c.getReason() + ": " + c.getMessage())
                    .findFirst()
                    .orElse("no Ready condition");
        throw new CommandFailedException("not ready after " + timeout.toSeconds() + " s: " + why);
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  private Result tenantCreate(ConsoleCommand.TenantCreate t) {
    TenantTokenReply reply =
        control()
            .createTenant(
                CreateTenantRequest.newBuilder()
                    .setName(t.name())
                    .setQuotaBytes(t.quotaBytes())
                    .setQuotaFiles(t.quotaFiles())
                    .build());
    ObjectNode json = JSON.createObjectNode();
    json.put("tenant", reply.getTenant().getName())
        .put("quotaBytes", reply.getTenant().getQuotaBytes())
        .put("quotaFiles", reply.getTenant().getQuotaFiles())
        .put("token", reply.getToken());
    return new Result(
        "tenant "
            + reply.getTenant().getName()
            + " created (quota "
            + (reply.getTenant().getQuotaBytes() == 0
                ? "unlimited"
                : reply.getTenant().getQuotaBytes() + " bytes")
            + "); token (shown once): "
            + reply.getToken(),
        json);
  }

  private Result tenantDelete(ConsoleCommand.TenantDelete t) {
    var deleted =
        control()
            .deleteTenant(TenantRef.newBuilder().setName(t.name()).setPurge(t.purge()).build());
    ObjectNode json = JSON.createObjectNode();
    json.put("tenant", deleted.getName()).put("deleted", true).put("purged", t.purge());
    return new Result(
        "tenant "
            + deleted.getName()
            + " deleted"
            + (t.purge() ? " with its files and KV entries (their chunks go to meta's GC)" : "")
            + "; its tokens are revoked",
        json);
  }

  private Result selfHealing(Boolean paused) {
    SelfHealingState s =
        paused == null
            ? ops().getSelfHealing(GetSelfHealingRequest.getDefaultInstance())
            : ops()
                .setSelfHealing(
                    SetSelfHealingRequest.newBuilder().setPaused(paused).setBy(who).build());
    ObjectNode json = JSON.createObjectNode();
    json.put("paused", s.getPaused())
        .put("offlineTimeoutMs", s.getOfflineTimeoutMs())
        .put("maxConcurrentRepairs", s.getMaxConcurrentRepairs())
        .put("repairsPerHour", s.getRepairsPerHour());
    ArrayNode active = json.putArray("activeRepairs");
    s.getActiveRepairsList().forEach(active::add);
    return new Result(
        "self-healing "
            + (s.getPaused() ? "paused" : "active")
            + " (offline timeout "
            + s.getOfflineTimeoutMs() / 1000
            + " s, at most "
            + s.getMaxConcurrentRepairs()
            + " at once, "
            + s.getRepairsPerHour()
            + " per hour; running: "
            + (s.getActiveRepairsList().isEmpty()
                ? "none"
                : String.join(", ", s.getActiveRepairsList()))
            + ")",
        json);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
