package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.KvSpec;
import io.catena.controlplane.spec.ClusterSpec.ResourcesSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes objects a cluster runs on, as pure functions of the resource: a headless Service
 * and a StatefulSet per daemon kind, and the cluster ConfigMap. Storage pods get one volume claim
 * per disk, the storage node selector, one pod per Kubernetes node, and a spread over the failure
 * domain label. StatefulSets use the OnDelete strategy: the operator rolls pods itself, in a
 * guarded order.
 */
public final class DaemonResources {

  public static final String DATA_ROOT = "/var/lib/catena";
  public static final String CONFIG_DIR = "/etc/catena";

  private DaemonResources() {}

  public static OwnerReference owner(CatenaCluster cluster) {
    return new OwnerReferenceBuilder()
        .withApiVersion(cluster.getApiVersion())
        .withKind(cluster.getKind())
        .withName(cluster.getMetadata().getName())
        .withUid(cluster.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The headless Service that gives every pod of a kind its DNS name. */
  public static Service headlessService(CatenaCluster cluster, DaemonKind kind) {
    ClusterNames names = ClusterNames.of(cluster);
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(names.daemons(kind))
        .withNamespace(names.namespace())
        .withLabels(names.labels(kind))
        .withOwnerReferences(owner(cluster))
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(names.selector(kind))
        .addNewPort()
        .withName("grpc")
        .withPort(ClusterNames.port(kind))
        .endPort()
        .endSpec()
        .build();
  }

  /**
   * The cluster's settings: the spec, the mgmtd address, and per storage pod a {@code
   * <pod>.node-id} file holding the node id its {@code --node-id} is read from.
   */
  public static ConfigMap configMap(CatenaCluster cluster, ClusterSpec spec, String specYaml) {
    ClusterNames names = ClusterNames.of(cluster);
    Map<String, String> data = new TreeMap<>();
    data.put("cluster.yaml", specYaml);
    data.put("mgmtd", names.mgmtdService() + ":" + ClusterNames.MGMTD_PORT);
    for (int i = 0; i < spec.nodes().size(); i++) {
      data.put(nodeIdKey(names, i), Integer.toString(nodeId(spec, i)));
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(names.configMap())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .withOwnerReferences(owner(cluster))
        .endMetadata()
        .withData(data)
        .build();
  }

  static String nodeIdKey(ClusterNames names, int ordinal) {
    return names.pod(DaemonKind.STORAGE, ordinal) + ".node-id";
  }

  /** The mgmtd node id of the storage pod at an ordinal: the spec's id, else position + 1. */
  static int nodeId(ClusterSpec spec, int ordinal) {
    Integer id = spec.nodes().get(ordinal).id();
    return id == null ? ordinal + 1 : id;
  }

  static String diskMount(int disk) {
    return DATA_ROOT + "/disk-" + disk;
  }

  /** How many pods of a kind the spec asks for. */
  public static int replicas(ClusterSpec spec, DaemonKind kind) {
    return switch (kind) {
      case MGMTD -> spec.mgmtdReplicas();
      case META -> spec.metaReplicas();
      case STORAGE -> spec.nodes().size();
      case GATEWAY -> 0;
    };
  }

  public static StatefulSet statefulSet(CatenaCluster cluster, ClusterSpec spec, DaemonKind kind) {
    ClusterNames names = ClusterNames.of(cluster);
    KubernetesSettings settings = KubernetesSettings.of(spec);
    boolean fdb = KvSpec.FDB.equals(spec.kvOrDefault().engine());
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName(names.configMap())
            .endConfigMap()
            .build());
    mounts.add(new VolumeMountBuilder().withName("config").withMountPath(CONFIG_DIR).build());
    if (kind == DaemonKind.STORAGE) {
      for (int d = 0; d < storageDisks(spec); d++) {
        claims.add(claim("disk-" + d, settings.storageClassName(), settings.diskSize()));
        mounts.add(
            new VolumeMountBuilder().withName("disk-" + d).withMountPath(diskMount(d)).build());
      }
    } else if (fdb) {
      volumes.add(
          new VolumeBuilder()
              .withName("fdb")
              .withNewConfigMap()
              .withName(names.fdbConfigMap())
              .addNewItem()
              .withKey("cluster-file")
              .withPath("fdb.cluster")
              .endItem()
              .endConfigMap()
              .build());
      mounts.add(
          new VolumeMountBuilder().withName("fdb").withMountPath("/etc/foundationdb").build());
    } else {
      claims.add(claim("data", settings.storageClassName(), settings.metadataSize()));
      mounts.add(new VolumeMountBuilder().withName("data").withMountPath(DATA_ROOT).build());
    }
    Container container =
        new ContainerBuilder()
            .withName(kind.id())
            .withImage(settings.image())
            .withImagePullPolicy(settings.imagePullPolicy())
            .withCommand(command(kind))
            .withArgs(args(names, spec, kind))
            .withEnv(
                fieldEnv("POD_NAME", "metadata.name"),
                fieldEnv("POD_IP", "status.podIP"),
                // The operator issues no certificates yet (docs/security.md): its pods are told
                // explicitly to speak plain text on the pod network.
                new EnvVarBuilder().withName("CATENA_INSECURE_PLAINTEXT").withValue("true").build())
            .addNewPort()
            .withName("grpc")
            .withContainerPort(ClusterNames.port(kind))
            .endPort()
            .withNewReadinessProbe()
            .withNewTcpSocket()
            .withNewPort(ClusterNames.port(kind))
            .endTcpSocket()
            .withPeriodSeconds(5)
            .endReadinessProbe()
            .withResources(resources(settings.daemonResources()))
            .withVolumeMounts(mounts)
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withPrivileged(false)
            .endSecurityContext()
            .build();
    PodSpecBuilder pod = new PodSpecBuilder().withContainers(container).withVolumes(volumes);
    if (kind == DaemonKind.STORAGE) {
      pod.withNodeSelector(new TreeMap<>(settings.storageNodeSelector()))
          .withNewAffinity()
          .withNewPodAntiAffinity()
          .addNewRequiredDuringSchedulingIgnoredDuringExecution()
          .withTopologyKey("kubernetes.io/hostname")
          .withNewLabelSelector()
          .withMatchLabels(names.selector(kind))
          .endLabelSelector()
          .endRequiredDuringSchedulingIgnoredDuringExecution()
          .endPodAntiAffinity()
          .endAffinity()
          .addNewTopologySpreadConstraint()
          .withMaxSkew(1)
          .withTopologyKey(spec.failureDomainLabelOrDefault())
          .withWhenUnsatisfiable("ScheduleAnyway")
          .withNewLabelSelector()
          .withMatchLabels(names.selector(kind))
          .endLabelSelector()
          .endTopologySpreadConstraint();
    }
    Map<String, String> podLabels = new LinkedHashMap<>(names.labels(kind));
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(names.daemons(kind))
        .withNamespace(names.namespace())
        .withLabels(names.labels(kind))
        .withOwnerReferences(owner(cluster))
        .endMetadata()
        .withNewSpec()
        .withServiceName(names.daemons(kind))
        .withReplicas(replicas(spec, kind))
        .withPodManagementPolicy("Parallel")
        .withNewUpdateStrategy()
        .withType("OnDelete")
        .endUpdateStrategy()
        .withNewSelector()
        .withMatchLabels(names.selector(kind))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .endMetadata()
        .withSpec(pod.build())
        .endTemplate()
        .withVolumeClaimTemplates(claims)
        .endSpec()
        .build();
  }

  /**
   * The container's arguments for the image's {@code catena} entrypoint, or for STORAGE a {@code sh
   * -c} script (see {@link #command}): a StatefulSet template is the same for every pod, so the
   * storage pod reads its node id from its {@code <pod>.node-id} file in the ConfigMap.
   */
  static List<String> args(ClusterNames names, ClusterSpec spec, DaemonKind kind) {
    boolean fdb = KvSpec.FDB.equals(spec.kvOrDefault().engine());
    String kv =
        fdb ? "fdb:" + KubernetesSpecCheck.FDB_CLUSTER_FILE : "rocksdb:" + DATA_ROOT + "/kv";
    String listen = "0.0.0.0:" + ClusterNames.port(kind);
    String advertise = "$(POD_NAME)." + names.daemons(kind) + "." + names.namespace() + ".svc";
    String mgmtd = names.mgmtdService() + ":" + ClusterNames.MGMTD_PORT;
    String meta = names.metaService() + ":" + ClusterNames.META_PORT;
    return switch (kind) {
      case MGMTD ->
          List.of(
              "daemon",
              "mgmtd",
              "--id",
              "$(POD_NAME)",
              "--kv",
              kv,
              "--listen",
              listen,
              "--advertise",
              advertise);
      case META -> List.of("daemon", "meta", "--kv", kv, "--listen", listen, "--mgmtd", mgmtd);
      case STORAGE -> List.of(storageScript(spec, mgmtd, meta));
      case GATEWAY -> List.of("gateway", "--mgmtd", mgmtd, "--meta", meta, "--listen", listen);
    };
  }

  /** The entrypoint override: only storage pods need a shell (for their node id). */
  static List<String> command(DaemonKind kind) {
    return kind == DaemonKind.STORAGE ? List.of("/bin/sh", "-c") : List.of();
  }

  /**
   * {@code catena daemon storage} with the pod's node id, its pod IP as the address it serves and
   * advertises to mgmtd, and one {@code --data} per disk volume. Shell variables are written {@code
   * ${...}} so that Kubernetes' own {@code $(...)} expansion leaves them alone.
   */
  static String storageScript(ClusterSpec spec, String mgmtd, String meta) {
    StringBuilder script =
        new StringBuilder("exec catena daemon storage --node-id \"$(cat ")
            .append(CONFIG_DIR)
            .append("/${POD_NAME}.node-id)\" --listen \"${POD_IP}:")
            .append(ClusterNames.STORAGE_PORT)
            .append("\" --mgmtd ")
            .append(mgmtd)
            .append(" --meta ")
            .append(meta);
    for (int d = 0; d < storageDisks(spec); d++) {
      script.append(" --data ").append(diskMount(d));
    }
    return script.toString();
  }

  static int storageDisks(ClusterSpec spec) {
    return spec.nodes().isEmpty() ? 0 : spec.nodes().getFirst().disks().size();
  }

  private static EnvVar fieldEnv(String name, String path) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(path)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  private static PersistentVolumeClaim claim(String name, String storageClass, String size) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(storageClass)
        .withNewResources()
        .addToRequests("storage", new Quantity(KubernetesQuantities.toQuantity(size)))
        .endResources()
        .endSpec()
        .build();
  }

  static ResourceRequirements resources(ResourcesSpec spec) {
    ResourceRequirementsBuilder b = new ResourceRequirementsBuilder();
    if (spec != null && spec.requests() != null) {
      spec.requests().forEach((k, v) -> b.addToRequests(k, new Quantity(v)));
    }
    if (spec != null && spec.limits() != null) {
      spec.limits().forEach((k, v) -> b.addToLimits(k, new Quantity(v)));
    }
    return b.build();
  }
}
