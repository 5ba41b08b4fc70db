package io.catena.console.fake;

import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.CreateTenantRequest;
import io.catena.protocol.controlplane.DaemonActionRequest;
import io.catena.protocol.controlplane.DaemonInfo;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.GetSelfHealingRequest;
import io.catena.protocol.controlplane.GetStatusRequest;
import io.catena.protocol.controlplane.HotSpotsReply;
import io.catena.protocol.controlplane.HotSpotsRequest;
import io.catena.protocol.controlplane.ListAuditReply;
import io.catena.protocol.controlplane.ListAuditRequest;
import io.catena.protocol.controlplane.ListChainsReply;
import io.catena.protocol.controlplane.ListNodesReply;
import io.catena.protocol.controlplane.ListOperationsReply;
import io.catena.protocol.controlplane.ListOperationsRequest;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.ListTargetsReply;
import io.catena.protocol.controlplane.ListTenantsReply;
import io.catena.protocol.controlplane.LoadEntry;
import io.catena.protocol.controlplane.NodeInfo;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.OperationRef;
import io.catena.protocol.controlplane.OperationsGrpc;
import io.catena.protocol.controlplane.PlanOperationRequest;
import io.catena.protocol.controlplane.Rebalance;
import io.catena.protocol.controlplane.Relief;
import io.catena.protocol.controlplane.SelfHealingState;
import io.catena.protocol.controlplane.SetSelfHealingRequest;
import io.catena.protocol.controlplane.SetTenantQuotaRequest;
import io.catena.protocol.controlplane.TargetInfo;
import io.catena.protocol.controlplane.TenantInfo;
import io.catena.protocol.controlplane.TenantRef;
import io.catena.protocol.controlplane.TenantTokenReply;
import io.catena.protocol.controlplane.ThroughputReply;
import io.catena.protocol.controlplane.ThroughputRequest;
import io.catena.protocol.controlplane.ThroughputSample;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/** TEST FIXTURE: the two control-plane services answering from a {@link FakeCluster}. */
final class FakeServices {

  private FakeServices() {}

  static <T> void answer(StreamObserver<T> out, Callable<T> call) {
    T reply;
    try {
      reply = call.call();
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (IllegalStateException e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (NoSuchElementException e) {
      out.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (Exception e) {
      out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      return;
    }
    out.onNext(reply);
    out.onCompleted();
  }

  static final class ControlPlane extends ControlPlaneGrpc.ControlPlaneImplBase {
    private final FakeCluster c;

    ControlPlane(FakeCluster cluster) {
      this.c = cluster;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<ClusterStatusReply> out) {
      answer(out, c::status);
    }

    @Override
    public void listNodes(ListRequest request, StreamObserver<ListNodesReply> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              ListNodesReply.Builder reply = ListNodesReply.newBuilder();
              c.nodes.forEach(n -> reply.addNodes(n.build()));
              return reply.build();
            }
          });
    }

    @Override
    public void listTargets(ListRequest request, StreamObserver<ListTargetsReply> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              ListTargetsReply.Builder reply = ListTargetsReply.newBuilder();
              c.targets.values().forEach(t -> reply.addTargets(t.build()));
              return reply.build();
            }
          });
    }

    @Override
    public void listChains(ListRequest request, StreamObserver<ListChainsReply> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              ListChainsReply.Builder reply =
                  ListChainsReply.newBuilder().setRoutingVersion(c.status().getRoutingVersion());
              for (int id : c.chains.keySet()) {
                reply.addChains(c.chain(id));
              }
              return reply.build();
            }
          });
    }

    @Override
    public void daemonAction(DaemonActionRequest request, StreamObserver<DaemonInfo> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              for (NodeInfo.Builder n : c.nodes) {
                if (!n.getName().equals(request.getNode())) {
                  continue;
                }
                for (DaemonInfo.Builder d : n.getDaemonsBuilderList()) {
                  if (d.getName().equals(request.getDaemon())) {
                    switch (request.getAction()) {
                      case STOP -> d.setState("NOT_RUNNING").setUptimeMs(0).setPid(0);
                      case START, RESTART ->
                          d.setState("HEALTHY")
                              .setUptimeMs(1_000)
                              .setPid(d.getPid() + 100)
                              .setLastError("")
                              .setRestarts(
                                  d.getRestarts()
                                      + (request.getAction() == DaemonActionRequest.Action.RESTART
                                          ? 1
                                          : 0));
                      default ->
                          throw new IllegalArgumentException("action: START, STOP or RESTART");
                    }
                    c.audit(
                        "admin",
                        request.getAction().name().toLowerCase(Locale.ROOT),
                        d.getName(),
                        "OK",
                        "on " + n.getName());
                    return d.build();
                  }
                }
                throw new NoSuchElementException(
                    "no daemon " + request.getDaemon() + " on " + request.getNode());
              }
              throw new NoSuchElementException("no node " + request.getNode());
            }
          });
    }

    @Override
    public void listTenants(ListRequest request, StreamObserver<ListTenantsReply> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              ListTenantsReply.Builder reply = ListTenantsReply.newBuilder();
              c.tenants.values().forEach(t -> reply.addTenants(t.build()));
              return reply.build();
            }
          });
    }

    @Override
    public void createTenant(CreateTenantRequest request, StreamObserver<TenantTokenReply> out) {
      synchronized (c) {
        if (c.tenants.containsKey(request.getName())) {
          out.onError(
              Status.ALREADY_EXISTS
                  .withDescription("tenant '" + request.getName() + "' exists")
                  .asRuntimeException());
          return;
        }
      }
      answer(
          out,
          () -> {
            synchronized (c) {
              String token =
                  c.createTenant(
                      request.getName(), request.getQuotaBytes(), request.getQuotaFiles());
              return TenantTokenReply.newBuilder()
                  .setTenant(c.tenants.get(request.getName()).build())
                  .setToken(token)
                  .build();
            }
          });
    }

    @Override
    public void deleteTenant(TenantRef request, StreamObserver<TenantInfo> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              TenantInfo.Builder t = c.tenants.remove(request.getName());
              if (t == null) {
                throw new NoSuchElementException("no tenant " + request.getName());
              }
              c.tokens.remove(request.getName());
              c.audit("admin", "delete-tenant", request.getName(), "OK", "");
              return t.build();
            }
          });
    }

    @Override
    public void setTenantQuota(SetTenantQuotaRequest request, StreamObserver<TenantInfo> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              TenantInfo.Builder t = c.tenants.get(request.getName());
              if (t == null) {
                throw new NoSuchElementException("no tenant " + request.getName());
              }
              t.setQuotaBytes(request.getQuotaBytes()).setQuotaFiles(request.getQuotaFiles());
              c.audit(
                  "admin",
                  "set-quota",
                  request.getName(),
                  "OK",
                  request.getQuotaBytes() + " bytes");
              return t.build();
            }
          });
    }

    @Override
    public void rotateTenantToken(TenantRef request, StreamObserver<TenantTokenReply> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              TenantInfo.Builder t = c.tenants.get(request.getName());
              if (t == null) {
                throw new NoSuchElementException("no tenant " + request.getName());
              }
              String token = c.newToken(request.getName());
              c.audit("admin", "rotate-token", request.getName(), "OK", "");
              return TenantTokenReply.newBuilder().setTenant(t.build()).setToken(token).build();
            }
          });
    }
  }

  static final class Operations extends OperationsGrpc.OperationsImplBase {
    private final FakeCluster c;

    Operations(FakeCluster cluster) {
      this.c = cluster;
    }

    @Override
    public void planOperation(PlanOperationRequest request, StreamObserver<OperationInfo> out) {
      answer(out, () -> c.plan(request));
    }

    @Override
    public void approveOperation(OperationRef request, StreamObserver<OperationInfo> out) {
      answer(out, () -> c.approve(request.getId(), request.getBy()));
    }

    @Override
    public void cancelOperation(OperationRef request, StreamObserver<OperationInfo> out) {
      answer(out, () -> c.cancel(request.getId(), request.getBy()));
    }

    @Override
    public void getOperation(OperationRef request, StreamObserver<OperationInfo> out) {
      answer(out, () -> c.operation(request.getId()).build());
    }

    @Override
    public void listOperations(
        ListOperationsRequest request, StreamObserver<ListOperationsReply> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              ListOperationsReply.Builder reply = ListOperationsReply.newBuilder();
              List<OperationInfo> all = new ArrayList<>();
              c.operations.values().forEach(o -> all.add(o.build()));
              for (OperationInfo o : all.reversed()) {
                if (!request.getActiveOnly()
                    || o.getState().equals("RUNNING")
                    || o.getState().equals("PLANNED")) {
                  reply.addOperations(o);
                }
              }
              return reply.build();
            }
          });
    }

    @Override
    public void watchEvents(
        io.catena.protocol.controlplane.WatchEventsRequest request, StreamObserver<Event> out) {
      ServerCallStreamObserver<Event> server = (ServerCallStreamObserver<Event>) out;
      Consumer<Event> watcher =
          e -> {
            synchronized (server) {
              if (!server.isCancelled()) {
                server.onNext(e);
              }
            }
          };
      synchronized (c) {
        List<Event> replay =
            c.events.subList(Math.max(0, c.events.size() - request.getReplay()), c.events.size());
        replay.forEach(watcher);
        c.watchers.add(watcher);
      }
      server.setOnCancelHandler(
          () -> {
            synchronized (c) {
              c.watchers.remove(watcher);
            }
          });
    }

    @Override
    public void listAudit(ListAuditRequest request, StreamObserver<ListAuditReply> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              List<io.catena.protocol.controlplane.AuditEntry> newest =
                  new ArrayList<>(c.audit).reversed();
              int limit = request.getLimit() <= 0 ? 100 : request.getLimit();
              return ListAuditReply.newBuilder()
                  .addAllEntries(newest.subList(0, Math.min(limit, newest.size())))
                  .build();
            }
          });
    }

    @Override
    public void getHotSpots(HotSpotsRequest request, StreamObserver<HotSpotsReply> out) {
      answer(out, () -> hotSpots(request));
    }

    private HotSpotsReply hotSpots(HotSpotsRequest request) {
      synchronized (c) {
        String window = request.getWindow().isEmpty() ? "5m" : request.getWindow();
        int top = request.getTop() <= 0 ? 10 : request.getTop();
        // Longer windows smooth the skew: the same hot chain, less pronounced.
        double smoothing =
            switch (window) {
              case "1m" -> 1.0;
              case "5m" -> 0.9;
              case "15m" -> 0.75;
              default -> 0.6;
            };
        double perTargetRead = 180.0 * (1 << 20);
        double mean =
            c.load.values().stream().mapToDouble(l -> 1 + (l - 1) * smoothing).average().orElse(1);
        HotSpotsReply.Builder reply = HotSpotsReply.newBuilder().setWindow(window);
        Map<String, double[]> chains = new HashMap<>();
        Map<String, double[]> nodes = new HashMap<>();
        List<LoadEntry> targets = new ArrayList<>();
        for (TargetInfo.Builder t : c.targets.values()) {
          double l = 1 + (c.load.get(t.getTargetId()) - 1) * smoothing;
          LoadEntry e =
              entry(
                  "target",
                  String.valueOf(t.getTargetId()),
                  l * perTargetRead,
                  l * perTargetRead / 4,
                  l * 900,
                  l / mean);
          targets.add(e);
          add(chains, "chain " + t.getChainId(), e);
          add(nodes, t.getNode(), e);
        }
        reply.addAllTargets(targets);
        reply.addAllTopTargets(
            targets.stream()
                .sorted(Comparator.comparingDouble(LoadEntry::getScore).reversed())
                .limit(top)
                .toList());
        reply.addAllTopChains(tops("chain", chains, top));
        reply.addAllTopNodes(tops("node", nodes, top));
        List<LoadEntry> tenants = new ArrayList<>();
        int i = 0;
        for (String name : c.tenants.keySet()) {
          double share = i++ == 0 ? 0.7 : 0.3 / Math.max(1, c.tenants.size() - 1);
          double read = targets.stream().mapToDouble(LoadEntry::getReadBytesPerS).sum() * share;
          tenants.add(
              entry(
                  "tenant",
                  name,
                  read,
                  read / 4,
                  read / perTargetRead * 900,
                  share * c.tenants.size()));
        }
        reply.addAllTopTenants(tenants);
        LoadEntry hottest = reply.getTopChainsCount() == 0 ? null : reply.getTopChains(0);
        if (hottest != null && hottest.getHot()) {
          reply.addReliefs(
              Relief.newBuilder()
                  .setDescription(
                      "Move the head of "
                          + hottest.getId()
                          + " (load ×"
                          + String.format(Locale.ROOT, "%.1f", hottest.getScore())
                          + ") to the coolest node")
                  .setOperation(
                      PlanOperationRequest.newBuilder()
                          .setRebalance(Rebalance.newBuilder().setWindow(window))));
        }
        return reply.build();
      }
    }

    private static void add(Map<String, double[]> sums, String key, LoadEntry e) {
      double[] s = sums.computeIfAbsent(key, k -> new double[4]);
      s[0] += e.getReadBytesPerS();
      s[1] += e.getWriteBytesPerS();
      s[2] += e.getOpsPerS();
      s[3] += 1;
    }

    private static List<LoadEntry> tops(String scope, Map<String, double[]> sums, int top) {
      double mean = sums.values().stream().mapToDouble(s -> s[0] / s[3]).average().orElse(1);
      Function<Map.Entry<String, double[]>, LoadEntry> toEntry =
          e ->
              entry(
                  scope,
                  e.getKey(),
                  e.getValue()[0],
                  e.getValue()[1],
                  e.getValue()[2],
                  e.getValue()[0] / e.getValue()[3] / mean);
      return sums.entrySet().stream()
          .map(toEntry)
          .sorted(Comparator.comparingDouble(LoadEntry::getScore).reversed())
          .limit(top)
          .toList();
    }

    private static LoadEntry entry(
        String scope, String id, double read, double write, double ops, double score) {
      return LoadEntry.newBuilder()
          .setScope(scope)
          .setId(id)
          .setReadBytesPerS(read)
          .setWriteBytesPerS(write)
          .setOpsPerS(ops)
          .setScore(score)
          .setHot(score >= 2)
          .build();
    }

    @Override
    public void getThroughput(ThroughputRequest request, StreamObserver<ThroughputReply> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              ThroughputReply.Builder reply = ThroughputReply.newBuilder();
              double scale = c.targets.size() * 180.0 * (1 << 20) / 24;
              for (int i = 90; i >= 0; i--) {
                double t = (c.now / 10_000.0) - i;
                reply.addSamples(
                    ThroughputSample.newBuilder()
                        .setAtMs(c.now - i * 10_000L)
                        .setReadBytesPerS(
                            scale * (1.0 + 0.25 * Math.sin(t / 9) + 0.08 * Math.sin(t * 1.7)))
                        .setWriteBytesPerS(scale * (0.3 + 0.1 * Math.cos(t / 7))));
              }
              return reply.build();
            }
          });
    }

    @Override
    public void getSelfHealing(
        GetSelfHealingRequest request, StreamObserver<SelfHealingState> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              return c.selfHealing.build();
            }
          });
    }

    @Override
    public void setSelfHealing(
        SetSelfHealingRequest request, StreamObserver<SelfHealingState> out) {
      answer(
          out,
          () -> {
            synchronized (c) {
              c.selfHealing.setPaused(request.getPaused());
              c.audit(
                  request.getBy(),
                  request.getPaused() ? "pause-self-healing" : "resume-self-healing",
                  "cluster",
                  "OK",
                  "");
              return c.selfHealing.build();
            }
          });
    }
  }
}
