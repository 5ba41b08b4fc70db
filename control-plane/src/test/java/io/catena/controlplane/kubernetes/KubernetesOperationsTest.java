package io.catena.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.ops.OpsSettings;
import io.catena.controlplane.ops.cluster.ReplicaHosts;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.status.ClusterStatus;
import io.catena.protocol.controlplane.Drain;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.OperationRef;
import io.catena.protocol.controlplane.OperationsGrpc;
import io.catena.protocol.controlplane.PlanOperationRequest;
import io.catena.protocol.controlplane.RollingRestart;
import io.catena.protocol.controlplane.ScaleOut;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operations on CatenaClusters through the operator's Operations API, against fabric8's mock API
 * server (CRUD mode). A background "kubelet" plays the StatefulSet controller: it creates missing
 * pods from their StatefulSet's template (recording the order) and patches them Ready. mgmtd is
 * {@link InMemoryMgmtdAdmin}/{@link InMemoryClusterAdmin}; a storage daemon is connected while its
 * pod is Ready.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesOperationsTest {
  static final String NS = "ops";
  static final String TOKEN = "admin-secret";
  static final Duration WAIT = Duration.ofSeconds(120);

  static {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
    // the load sampler asks storage daemons at pod DNS names that do not resolve here
    java.util.logging.Logger.getLogger("io.grpc.internal.ManagedChannelImpl")
        .setLevel(java.util.logging.Level.SEVERE);
  }

  static KubernetesMockServer server;
  static KubernetesClient client;
  static CatenaOperator operator;
  static Server grpc;
  static ManagedChannel channel;
  static Thread kubelet;
  static volatile boolean stopping;
  static final Map<String, InMemoryMgmtdAdmin> MGMTD = new ConcurrentHashMap<>();
  static final Map<String, InMemoryClusterAdmin> ADMINS = new ConcurrentHashMap<>();
  static final Map<String, List<String>> RECREATED = new ConcurrentHashMap<>();

  /** No storage daemon runs: targets are created by the (imaginary) daemons, none to delete. */
  static final ReplicaHosts NO_DAEMONS =
      new ReplicaHosts() {
        @Override
        public void createTarget(String address, int nodeId, long targetId, int chainId) {}

        @Override
        public void removeTarget(String address, long targetId) {}

        @Override
        public boolean serves(String address, long targetId) {
          return false;
        }
      };

  @BeforeAll
  static void start() throws Exception {
    client
        .resource(
            Serialization.unmarshal(
                Files.readString(
                    Path.of("..", "installer", "k8s", "00-catenaclusters.catena.io-crd.yaml")),
                CustomResourceDefinition.class))
        .create();
    Path dataDir = Files.createTempDirectory("catena-operator-ops");
    operator =
        CatenaOperator.start(
            client,
            Set.of(NS),
            names -> mgmtd(names.cluster()),
            new OperatorOperations.Config(
                dataDir,
                names ->
                    ADMINS.computeIfAbsent(
                        names.cluster(),
                        c ->
                            new InMemoryClusterAdmin(
                                mgmtd(c), node -> storagePodReady(c, node - 1))),
                NO_DAEMONS,
                OpsSettings.defaults()
                    .withPollInterval(Duration.ofMillis(50))
                    .withStepTimeout(Duration.ofSeconds(90)),
                Duration.ofSeconds(90),
                false),
            Clock.systemUTC());
    grpc =
        new OperationsRouter(operator.operations().orElseThrow())
            .serve(new InetSocketAddress("127.0.0.1", 0), TOKEN);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.getPort()).usePlaintext().build();
    kubelet = Thread.ofVirtual().name("kubelet").start(KubernetesOperationsTest::runKubelet);
  }

  @AfterAll
  static void stop() throws Exception {
    stopping = true;
    if (kubelet != null) {
      kubelet.join(Duration.ofSeconds(30));
    }
    if (channel != null) {
      channel.shutdownNow();
    }
    if (grpc != null) {
      grpc.shutdownNow();
    }
    if (operator != null) {
      operator.close();
    }
  }

  static InMemoryMgmtdAdmin mgmtd(String cluster) {
    return MGMTD.computeIfAbsent(
        cluster,
        c -> {
          InMemoryMgmtdAdmin admin = new InMemoryMgmtdAdmin();
          admin.primary = new ClusterNames(c, NS).podHost(DaemonKind.MGMTD, 0) + ":8000";
          return admin;
        });
  }

  static boolean storagePodReady(String cluster, int ordinal) {
    Pod pod =
        client
            .pods()
            .inNamespace(NS)
            .withName(new ClusterNames(cluster, NS).pod(DaemonKind.STORAGE, ordinal))
            .get();
    return pod != null && Pods.ready(pod);
  }

  /** The StatefulSet controller and kubelet, every 50 ms, for every cluster in the namespace. */
  static void runKubelet() {
    while (!stopping) {
      try {
        for (StatefulSet sts : client.apps().statefulSets().inNamespace(NS).list().getItems()) {
          String cluster = sts.getMetadata().getLabels().get(ClusterNames.CLUSTER_LABEL);
          for (int i = 0; i < sts.getSpec().getReplicas(); i++) {
            String name = sts.getMetadata().getName() + "-" + i;
            Pod pod = client.pods().inNamespace(NS).withName(name).get();
            if (pod == null) {
              RECREATED
                  .computeIfAbsent(cluster, c -> new java.util.concurrent.CopyOnWriteArrayList<>())
                  .add(name);
              pod =
                  client
                      .resource(
                          new PodBuilder()
                              .withMetadata(
                                  new ObjectMetaBuilder()
                                      .withName(name)
                                      .withNamespace(NS)
                                      .withLabels(
                                          sts.getSpec().getTemplate().getMetadata().getLabels())
                                      .withAnnotations(
                                          sts.getSpec()
                                              .getTemplate()
                                              .getMetadata()
                                              .getAnnotations())
                                      .build())
                              .withSpec(sts.getSpec().getTemplate().getSpec())
                              .build())
                      .create();
            }
            if (!Pods.ready(pod)) {
              client
                  .pods()
                  .inNamespace(NS)
                  .withName(name)
                  .subresource("status")
                  .patch(
                      PatchContext.of(PatchType.JSON_MERGE),
                      "{\"status\":{\"phase\":\"Running\",\"conditions\":"
                          + "[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
            }
          }
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // a pod deleted or created between the list and the patch: the next pass sees it
      }
    }
  }

  static OperationsGrpc.OperationsBlockingStub ops(String cluster) {
    Metadata headers = new Metadata();
    headers.put(OperationsRouter.CLUSTER, NS + "/" + cluster);
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
    return OperationsGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  static ClusterSpec spec(int nodes) {
    List<NodeSpec> list = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      list.add(
          new NodeSpec(
              "ssd-" + i, null, null, Map.of("rack", "r" + (i % 3)), List.of("/data/0"), 4));
    }
    return new ClusterSpec(
        3,
        "1MiB",
        null,
        "rack",
        null,
        null,
        null,
        list,
        List.of(),
        null,
        new ClusterSpec.KubernetesSpec(null, null, "fast", "10Gi", null, null, null, null));
  }

  static void createReady(String name, int nodes) throws InterruptedException {
    CatenaCluster cluster = new CatenaCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    cluster.setSpec(spec(nodes));
    client.resource(cluster).create();
    await(name + " Ready", () -> ready(name));
  }

  static CatenaCluster get(String name) {
    return client.resources(CatenaCluster.class).inNamespace(NS).withName(name).get();
  }

  static boolean ready(String name) {
    CatenaCluster c = get(name);
    return c != null
        && c.getStatus() != null
        && c.getStatus().isReady()
        && c.getStatus().observedGeneration() == c.getMetadata().getGeneration();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        List<String> states = new ArrayList<>();
        for (CatenaCluster c :
            client.resources(CatenaCluster.class).inNamespace(NS).list().getItems()) {
          ClusterStatus s = c.getStatus();
          states.add(c.getMetadata().getName() + " " + (s == null ? "-" : s.steps()));
        }
        throw new AssertionError("timed out waiting for " + what + "; clusters: " + states);
      }
      Thread.sleep(100);
    }
  }

  /** Plans with auto-approval and follows the operation until it ends. */
  static OperationInfo run(String cluster, PlanOperationRequest.Builder request)
      throws InterruptedException {
    OperationInfo planned =
        ops(cluster).planOperation(request.setAutoApprove(true).setRequestedBy("test").build());
    OperationInfo[] last = {planned};
    await(
        planned.getId() + " to end",
        () -> {
          last[0] =
              ops(cluster).getOperation(OperationRef.newBuilder().setId(planned.getId()).build());
          return Set.of("SUCCEEDED", "FAILED", "CANCELLED", "REFUSED").contains(last[0].getState());
        });
    return last[0];
  }

  static List<String> eventReasons(String cluster) {
    return client
        .v1()
        .events()
        .inNamespace(NS)
        .withLabel(ClusterNames.CLUSTER_LABEL, cluster)
        .list()
        .getItems()
        .stream()
        .map(Event::getReason)
        .toList();
  }

  static Set<Integer> nodesOfChains(String cluster) {
    InMemoryMgmtdAdmin m = MGMTD.get(cluster);
    Map<Long, Integer> nodeOf = new java.util.HashMap<>();
    m.targets().forEach(t -> nodeOf.put(t.getTargetId(), t.getNodeId()));
    Set<Integer> out = new HashSet<>();
    for (ChainInfo c : m.chains()) {
      for (ChainMember member : c.getMembersList()) {
        out.add(nodeOf.get(member.getTargetId()));
      }
    }
    return out;
  }

  @Test
  void rollingRestartDeletesStoragePodsOneAtATimeAndTheMgmtdPrimaryLast() throws Exception {
    createReady("roll", 3);
    RECREATED.remove("roll");

    OperationInfo done =
        run(
            "roll",
            PlanOperationRequest.newBuilder()
                .setRollingRestart(RollingRestart.getDefaultInstance()));

    assertThat(done.getState()).as(done.getMessage()).isEqualTo("SUCCEEDED");
    assertThat(done.getSummary()).contains("mgmtd primary last");
    assertThat(RECREATED.get("roll"))
        .containsExactly(
            "roll-storage-0", "roll-storage-1", "roll-storage-2", "roll-meta-0", "roll-mgmtd-0");
    await("Ready after the restart", () -> ready("roll"));
    assertThat(eventReasons("roll")).contains("RollingRestartRunning", "RollingRestartSucceeded");

    assertThatThrownBy(
            () ->
                OperationsGrpc.newBlockingStub(channel)
                    .getOperation(OperationRef.newBuilder().setId(done.getId()).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("catena-cluster");
            });
    assertThatThrownBy(
            () -> ops("nope").getOperation(OperationRef.newBuilder().setId("op-1").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void drainIsRefusedWhileAChainIsDegradedAndDoneWhenHealthy() throws Exception {
    createReady("drain", 4);
    assertThat(nodesOfChains("drain")).as("node 1 holds replicas").contains(1);
    InMemoryClusterAdmin admin = ADMINS.get("drain");
    admin.down.add(2); // node 2 is the only node of rack r1: every chain has a replica there

    OperationInfo refused =
        run("drain", PlanOperationRequest.newBuilder().setDrain(Drain.newBuilder().setNode("1")));

    assertThat(refused.getState()).isEqualTo("REFUSED");
    assertThat(refused.getMessage())
        .startsWith("draining node 1 would leave chain-")
        .contains("(1 serving elsewhere)")
        .contains("below R-1=2 serving replicas: repair");
    assertThat(get("drain").getMetadata().getAnnotations())
        .as("a refused drain cordons nothing")
        .doesNotContainKey(ClusterOperations.DRAINED);

    admin.down.remove(2);
    OperationInfo drained =
        run("drain", PlanOperationRequest.newBuilder().setDrain(Drain.newBuilder().setNode("1")));

    assertThat(drained.getState()).as(drained.getMessage()).isEqualTo("SUCCEEDED");
    assertThat(nodesOfChains("drain")).doesNotContain(1).contains(4);
    long leftOnNode1 = targetsOn("drain", 1);
    assertThat(get("drain").getMetadata().getAnnotations())
        .containsEntry(ClusterOperations.DRAINED, "1");
    assertThat(client.pods().inNamespace(NS).withName("drain-storage-0").get())
        .as("a drained middle node's pod stays, empty")
        .isNotNull();
    assertThat(eventReasons("drain")).contains("DrainRefused", "DrainSucceeded");

    await("Ready after the drain", () -> ready("drain"));
    assertThat(nodesOfChains("drain")).as("the reconciler lays no chain on it").doesNotContain(1);
    assertThat(targetsOn("drain", 1)).as("nor creates targets on it").isEqualTo(leftOnNode1);
    await(
        "the chain-table step to name the cordoned node (next pass: at most a minute)",
        () ->
            ready("drain")
                && get("drain").getStatus().steps().stream()
                    .anyMatch(
                        step ->
                            step.name().equals("chain-table")
                                && step.message().endsWith("drained (cordoned) nodes: [1]")));
    assertThat(nodesOfChains("drain")).doesNotContain(1);
    assertThat(targetsOn("drain", 1)).isEqualTo(leftOnNode1);
  }

  static long targetsOn(String cluster, int node) {
    return MGMTD.get(cluster).targets().stream().filter(t -> t.getNodeId() == node).count();
  }

  @Test
  void scaleOutGrowsTheStorageStatefulSet() throws Exception {
    createReady("grow", 3);

    OperationInfo done =
        run(
            "grow",
            PlanOperationRequest.newBuilder()
                .setScaleOut(ScaleOut.newBuilder().setAddNodes(1).setMode("migrate")));

    assertThat(done.getState()).as(done.getMessage()).isEqualTo("SUCCEEDED");
    assertThat(
            client
                .apps()
                .statefulSets()
                .inNamespace(NS)
                .withName("grow-storage")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(4);
    assertThat(get("grow").getSpec().nodes())
        .hasSize(4)
        .last()
        .satisfies(n -> assertThat(n.id()).isEqualTo(4));
    assertThat(MGMTD.get("grow").nodes())
        .anySatisfy(
            n -> {
              assertThat(n.getNodeId()).isEqualTo(4);
              assertThat(n.getAddress()).isEqualTo("grow-storage-3.grow-storage.ops.svc:8002");
            });
    assertThat(nodesOfChains("grow")).as("replicas migrated to the new node").contains(4);
    assertThat(eventReasons("grow")).contains("ScaleOutRunning", "ScaleOutSucceeded");
    await("Ready after the scale-out", () -> ready("grow"));
  }
}
