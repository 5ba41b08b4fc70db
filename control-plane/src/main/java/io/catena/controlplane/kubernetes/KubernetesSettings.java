package io.catena.controlplane.kubernetes;

import io.catena.controlplane.spec.ByteSize;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.KubernetesSpec;
import io.catena.controlplane.spec.ClusterSpec.ResourcesSpec;
import io.catena.controlplane.spec.ClusterSpec.SidecarSpec;
import java.util.Map;

/** The spec's {@code kubernetes} section with every default applied (docs/kubernetes.md). */
public record KubernetesSettings(
    String image,
    String imagePullPolicy,
    String storageClassName,
    String diskSize,
    String metadataSize,
    Map<String, String> storageNodeSelector,
    ResourcesSpec daemonResources,
    int sidecarPort,
    String defaultTenant,
    ResourcesSpec sidecarResources) {

  public static final String DEFAULT_IMAGE = "ghcr.io/catena-io/catena:0.1.0";
  public static final String DEFAULT_DISK_SIZE = "100Gi";
  public static final String DEFAULT_METADATA_SIZE = "10Gi";
  public static final Map<String, String> DEFAULT_STORAGE_SELECTOR =
      Map.of("catena.io/storage-node", "true");
  public static final ResourcesSpec DEFAULT_SIDECAR_RESOURCES =
      new ResourcesSpec(Map.of("cpu", "250m", "memory", "256Mi"), Map.of("memory", "1Gi"));

  public static KubernetesSettings of(ClusterSpec spec) {
    KubernetesSpec k = spec.kubernetes() == null ? emptySpec() : spec.kubernetes();
    SidecarSpec sidecar = k.sidecar() == null ? new SidecarSpec(null, null, null) : k.sidecar();
    String defaultTenant = sidecar.defaultTenant();
    if (defaultTenant == null && !spec.tenants().isEmpty()) {
      defaultTenant = spec.tenants().getFirst().name();
    }
    return new KubernetesSettings(
        k.image() == null ? DEFAULT_IMAGE : k.image(),
        k.imagePullPolicy() == null ? "IfNotPresent" : k.imagePullPolicy(),
        k.storageClassName(),
        k.diskSize() == null ? DEFAULT_DISK_SIZE : k.diskSize(),
        k.metadataSize() == null ? DEFAULT_METADATA_SIZE : k.metadataSize(),
        k.storageNodeSelector() == null ? DEFAULT_STORAGE_SELECTOR : k.storageNodeSelector(),
        k.daemonResources(),
        sidecar.port() == null ? ClusterNames.GATEWAY_PORT : sidecar.port(),
        defaultTenant,
        sidecar.resources() == null ? DEFAULT_SIDECAR_RESOURCES : sidecar.resources());
  }

  private static KubernetesSpec emptySpec() {
    return new KubernetesSpec(null, null, null, null, null, null, null, null);
  }

  /** One data volume's size in bytes ({@code 100Gi} and {@code 100GiB} both read as binary). */
  public long diskBytes() {
    return KubernetesQuantities.bytes(diskSize);
  }

  /** The size as Kubernetes writes it. */
  static String quantity(String size) {
    return KubernetesQuantities.toQuantity(size);
  }

  static long parseSize(String size) {
    return ByteSize.parse(size);
  }
}
