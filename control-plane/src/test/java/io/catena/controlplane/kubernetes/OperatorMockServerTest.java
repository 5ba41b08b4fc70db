package io.catena.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.spec.ClusterSpec.TenantSpec;
import io.catena.controlplane.status.ClusterStatus;
import io.catena.controlplane.status.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator against fabric8's mock API server in CRUD mode (JSON and merge patches; no
 * server-side apply). The mock runs no controllers, so {@link #runStatefulSetController} plays the
 * StatefulSet controller and the kubelet: it creates each StatefulSet's pods from their template
 * and patches them Ready.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorMockServerTest {
  static final String NS = "test";
  static final Duration WAIT = Duration.ofSeconds(90);

  /** The mock server logs every request at INFO through java.util.logging: thousands of lines. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  static KubernetesMockServer server;
  static KubernetesClient client;
  static CatenaOperator operator;
  static final Map<String, InMemoryMgmtdAdmin> MGMTD = new ConcurrentHashMap<>();
  static final List<String> RECREATED = java.util.Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void startOperator() throws Exception {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(
                Path.of("..", "installer", "k8s", "00-catenaclusters.catena.io-crd.yaml")),
            CustomResourceDefinition.class);
    client.resource(crd).create();
    operator =
        CatenaOperator.start(
            client,
            Set.of(NS),
            names -> {
              InMemoryMgmtdAdmin admin = new InMemoryMgmtdAdmin();
              admin.primary =
                  names.podHost(io.catena.controlplane.driver.DaemonKind.MGMTD, 0) + ":8000";
              MGMTD.put(names.cluster(), admin);
              return admin;
            },
            Clock.systemUTC());
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  static ClusterSpec spec(int nodes) {
    List<NodeSpec> list = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      list.add(
          new NodeSpec(
              "ssd-" + i,
              null,
              null,
              Map.of("rack", "r" + (i % 3)),
              List.of("/data/0", "/data/1"),
              2));
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
        List.of(new TenantSpec("inference", null)),
        null,
        new ClusterSpec.KubernetesSpec(null, null, "fast", "10Gi", null, null, null, null));
  }

  static CatenaCluster create(String name, ClusterSpec spec) {
    CatenaCluster cluster = new CatenaCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    cluster.setSpec(spec);
    return client.resource(cluster).create();
  }

  /**
   * Replaces a cluster's spec as a Kubernetes client must under optimistic concurrency: read,
   * change, write with the version read, and on a conflict (the operator wrote its status in
   * between; fabric8 fills in the latest version when none is given, so that race exists either
   * way) read again, a bounded number of times. No patch: the mock server appends arrays in merge
   * patches.
   */
  static void changeSpec(String name, ClusterSpec spec) {
    for (int attempt = 1; ; attempt++) {
      CatenaCluster desired = get(name);
      desired.setSpec(spec);
      desired.setStatus(null);
      try {
        client.resource(desired).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
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
          states.add(
              c.getMetadata().getName()
                  + " "
                  + (c.getStatus() == null ? "-" : c.getStatus().steps()));
        }
        throw new AssertionError("timed out waiting for " + what + "; clusters: " + states);
      }
      Thread.sleep(100);
    }
  }

  /** One pass of a StatefulSet controller and kubelet: missing pods created, pods made Ready. */
  static boolean runStatefulSetController(String cluster) {
    for (StatefulSet sts :
        client
            .apps()
            .statefulSets()
            .inNamespace(NS)
            .withLabel(ClusterNames.CLUSTER_LABEL, cluster)
            .list()
            .getItems()) {
      for (int i = 0; i < sts.getSpec().getReplicas(); i++) {
        String name = sts.getMetadata().getName() + "-" + i;
        Pod pod = client.pods().inNamespace(NS).withName(name).get();
        if (pod == null) {
          RECREATED.add(name);
          pod =
              client
                  .resource(
                      new PodBuilder()
                          .withMetadata(
                              new ObjectMetaBuilder()
                                  .withName(name)
                                  .withNamespace(NS)
                                  .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
                                  .withAnnotations(
                                      sts.getSpec().getTemplate().getMetadata().getAnnotations())
                                  .build())
                          .withSpec(sts.getSpec().getTemplate().getSpec())
                          .build())
                  .create();
        }
        if (!Pods.ready(pod)) {
          // A merge patch: the mock server applies JSON patches computed by editStatus wrongly
          // for pods it stored from a template (array index errors), and then never answers.
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
    return true;
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

  static StatefulSet sts(String name) {
    return client.apps().statefulSets().inNamespace(NS).withName(name).get();
  }

  @Test
  void emptyNamespaceBecomesReadyStepByStep() throws Exception {
    create("alpha", spec(3));
    await("the mgmtd StatefulSet", () -> sts("alpha-mgmtd") != null);
    await(
        "the mgmtd step to wait for its pod",
        () -> {
          ClusterStatus s = get("alpha").getStatus();
          return s != null
              && s.steps().stream()
                  .anyMatch(st -> st.name().equals("mgmtd") && st.outcome().equals("Waiting"));
        });
    assertThat(sts("alpha-meta")).as("meta waits until mgmtd is ready").isNull();
    assertThat(get("alpha").getStatus().condition(Condition.PROGRESSING).orElseThrow().isTrue())
        .isTrue();

    await("Ready", () -> runStatefulSetController("alpha") && ready("alpha"));

    StatefulSet storage = sts("alpha-storage");
    assertThat(storage.getSpec().getReplicas()).isEqualTo(3);
    assertThat(storage.getSpec().getVolumeClaimTemplates())
        .extracting(c -> c.getMetadata().getName())
        .containsExactly("disk-0", "disk-1");
    assertThat(
            storage.getSpec().getVolumeClaimTemplates().getFirst().getSpec().getStorageClassName())
        .isEqualTo("fast");
    assertThat(storage.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("catena.io/storage-node", "true");
    assertThat(storage.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("CatenaCluster"));
    assertThat(
            client
                .services()
                .inNamespace(NS)
                .withName("alpha-mgmtd")
                .get()
                .getSpec()
                .getClusterIP())
        .isEqualTo("None");
    Secret token = client.secrets().inNamespace(NS).withName("alpha-tenant-inference").get();
    assertThat(token).isNotNull();
    assertThat(client.configMaps().inNamespace(NS).withName("alpha-config").get().getData())
        .containsEntry("alpha-storage-0.node-id", "1")
        .containsEntry("alpha-storage-2.node-id", "3")
        .containsKey("cluster.yaml");
    Container daemon = storage.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(daemon.getCommand()).containsExactly("/bin/sh", "-c");
    assertThat(daemon.getArgs())
        .singleElement()
        .asString()
        .startsWith(
            "exec catena daemon storage --node-id \"$(cat /etc/catena/${POD_NAME}.node-id)\"")
        .contains("--listen \"${POD_IP}:8002\"")
        .contains("--mgmtd alpha-mgmtd.test.svc:8000")
        .contains("--meta alpha-meta.test.svc:8001")
        .endsWith("--data /var/lib/catena/disk-0 --data /var/lib/catena/disk-1");
    assertThat(
            sts("alpha-meta")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getArgs())
        .containsExactly(
            "daemon",
            "meta",
            "--kv",
            "rocksdb:/var/lib/catena/kv",
            "--listen",
            "0.0.0.0:8001",
            "--mgmtd",
            "alpha-mgmtd.test.svc:8000");

    ClusterStatus status = get("alpha").getStatus();
    assertThat(status.observedGeneration()).isEqualTo(1);
    assertThat(status.capacity().totalBytes()).isEqualTo(3L * 2 * (10L << 30));
    assertThat(status.steps()).extracting(ClusterStatus.StepStatus::outcome).containsOnly("Done");
    assertThat(status.mgmtd().primary()).startsWith("alpha-mgmtd-0.alpha-mgmtd.test.svc");
    InMemoryMgmtdAdmin mgmtd = MGMTD.get("alpha");
    assertThat(mgmtd.nodes()).hasSize(3);
    assertThat(mgmtd.targets()).hasSize(3 * 2 * 2);
    assertThat(mgmtd.chains())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.getMembersCount()).isEqualTo(3));
    assertThat(eventReasons("alpha"))
        .contains("StatefulSetCreated", "ChainTableCreated", "TenantTokenCreated", "ClusterReady");
  }

  @Test
  void scaleOutAddsPodsAndChains() throws Exception {
    create("beta", spec(3));
    await("Ready", () -> runStatefulSetController("beta") && ready("beta"));
    int chainsBefore = MGMTD.get("beta").chains().size();

    changeSpec("beta", spec(6));

    await("storage scaled to 6", () -> sts("beta-storage").getSpec().getReplicas() == 6);
    await("Ready after scale-out", () -> runStatefulSetController("beta") && ready("beta"));
    assertThat(get("beta").getStatus().observedGeneration()).isEqualTo(2);
    assertThat(MGMTD.get("beta").nodes()).hasSize(6);
    assertThat(MGMTD.get("beta").chains().size()).isGreaterThan(chainsBefore);
    assertThat(eventReasons("beta")).contains("ScaledOut", "ChainTableExtended");
  }

  @Test
  void deletedStoragePodDegradesThenRecovers() throws Exception {
    create("gamma", spec(3));
    await("Ready", () -> runStatefulSetController("gamma") && ready("gamma"));

    client.pods().inNamespace(NS).withName("gamma-storage-1").delete();

    await(
        "Degraded naming the lost pod",
        () -> {
          ClusterStatus s = get("gamma").getStatus();
          return !s.isReady()
              && s.condition(Condition.DEGRADED).map(Condition::isTrue).orElse(false)
              && s.condition(Condition.DEGRADED).get().message().contains("gamma-storage-1");
        });
    assertThat(eventReasons("gamma")).contains("StoragePodsNotReady");

    await("Ready again", () -> runStatefulSetController("gamma") && ready("gamma"));
    assertThat(get("gamma").getStatus().condition(Condition.DEGRADED).orElseThrow().isTrue())
        .isFalse();
  }

  @Test
  void badSpecIsRejectedWithFieldMessages() throws Exception {
    ClusterSpec bad =
        new ClusterSpec(
            3,
            "3MiB",
            null,
            null,
            null,
            null,
            null,
            List.of(new NodeSpec("one", null, null, Map.of(), List.of("data"), null)),
            List.of(),
            null);
    create("delta", bad);
    await(
        "InvalidSpec",
        () -> {
          CatenaCluster c = get("delta");
          return c.getStatus() != null
              && c.getStatus()
                  .condition(Condition.READY)
                  .map(x -> x.reason().equals("InvalidSpec"))
                  .orElse(false);
        });
    String message = get("delta").getStatus().condition(Condition.READY).orElseThrow().message();
    assertThat(message)
        .contains("spec.chunkSize: must be a power of two")
        .contains("spec.nodes[0].disks[0]: must be an absolute path")
        .contains("spec.replicationFactor");
    assertThat(sts("delta-mgmtd")).isNull();
    assertThat(eventReasons("delta")).contains("InvalidSpec");

    CatenaCluster candidate = get("delta");
    AdmissionResponse response =
        SpecAdmission.admit(
            new AdmissionRequestBuilder()
                .withUid("u1")
                .withOperation("CREATE")
                .withNamespace(NS)
                .withObject(candidate)
                .build());
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getDetails().getCauses())
        .extracting(c -> c.getField())
        .contains("spec.chunkSize", "spec.nodes[0].disks[0]", "spec.replicationFactor");
  }

  @Test
  void labelledPodGetsTheGatewaySidecar() throws Exception {
    create("epsilon", spec(3));
    Pod app =
        new PodBuilder()
            .withNewMetadata()
            .withName("inference-0")
            .withNamespace(NS)
            .withLabels(Map.of(ClusterNames.CLIENT_LABEL, "epsilon"))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("vllm")
            .withImage("vllm/vllm-openai")
            .endContainer()
            .endSpec()
            .build();
    AdmissionRequest request =
        new AdmissionRequestBuilder()
            .withUid("p1")
            .withOperation("CREATE")
            .withNamespace(NS)
            .withObject(app)
            .build();
    AdmissionResponse response = new SidecarInjector(client).admit(request);
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getPatchType()).isEqualTo("JSONPatch");

    JsonMapper json = new JsonMapper();
    JsonNode patched =
        JsonPatch.apply(
            json.readTree(SidecarInjector.decode(response.getPatch())),
            json.readTree(Serialization.asJson(app)));
    Pod injected = client.resource(Serialization.unmarshal(patched.toString(), Pod.class)).create();

    Pod stored = client.pods().inNamespace(NS).withName("inference-0").get();
    assertThat(stored.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("vllm", "catena-gateway");
    Container sidecar = stored.getSpec().getContainers().get(1);
    assertThat(sidecar.getArgs())
        .containsExactly(
            "gateway",
            "--listen",
            "127.0.0.1:8080",
            "--mgmtd",
            "epsilon-mgmtd.test.svc:8000",
            "--meta",
            "epsilon-meta.test.svc:8001");
    assertThat(sidecar.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("CATENA_TOKEN");
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("epsilon-tenant-inference");
            });
    assertThat(sidecar.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(stored.getSpec().getContainers())
        .allSatisfy(
            c ->
                assertThat(
                        c.getSecurityContext() == null
                            || !Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()))
                    .isTrue());
    assertThat(stored.getSpec().getContainers().getFirst().getEnv())
        .extracting(e -> e.getName())
        .containsExactly("CATENA_GATEWAY");
    assertThat(injected.getMetadata().getAnnotations()).containsEntry("catena.io/injected", "true");

    AdmissionResponse again =
        new SidecarInjector(client)
            .admit(new AdmissionRequestBuilder(request).withObject(stored).build());
    assertThat(again.getPatch()).as("an injected pod is left alone").isNull();

    Pod unknown =
        new PodBuilder(app)
            .editMetadata()
            .withLabels(Map.of(ClusterNames.CLIENT_LABEL, "nope"))
            .endMetadata()
            .build();
    AdmissionResponse denied =
        new SidecarInjector(client)
            .admit(new AdmissionRequestBuilder(request).withObject(unknown).build());
    assertThat(denied.getAllowed()).isFalse();
    assertThat(denied.getStatus().getMessage()).contains("'nope'");
  }

  @Test
  void imageChangeRollsOnePodAtATimeStorageFirstMgmtdLast() throws Exception {
    create("zeta", spec(3));
    await("Ready", () -> runStatefulSetController("zeta") && ready("zeta"));
    RECREATED.clear();

    ClusterSpec s = get("zeta").getSpec();
    CatenaCluster cluster = new CatenaCluster();
    cluster.setSpec(
        new ClusterSpec(
            s.replicationFactor(),
            s.chunkSize(),
            s.stripe(),
            s.failureDomainLabel(),
            s.kv(),
            s.mgmtd(),
            s.meta(),
            s.nodes(),
            s.tenants(),
            s.profile(),
            new ClusterSpec.KubernetesSpec(
                "ghcr.io/catena-io/catena:0.2.0", null, "fast", "10Gi", null, null, null, null)));
    changeSpec("zeta", cluster.getSpec());

    await(
        "every pod on the new image and Ready",
        () ->
            runStatefulSetController("zeta")
                && ready("zeta")
                && client
                    .pods()
                    .inNamespace(NS)
                    .withLabel(ClusterNames.CLUSTER_LABEL, "zeta")
                    .list()
                    .getItems()
                    .stream()
                    .allMatch(
                        p -> p.getSpec().getContainers().getFirst().getImage().endsWith(":0.2.0")));
    assertThat(RECREATED)
        .containsExactly(
            "zeta-storage-0", "zeta-storage-1", "zeta-storage-2", "zeta-meta-0", "zeta-mgmtd-0");
    assertThat(eventReasons("zeta")).contains("StatefulSetUpdated", "PodRestarted");
  }
}
