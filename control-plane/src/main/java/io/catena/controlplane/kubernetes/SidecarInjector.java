package io.catena.controlplane.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.controlplane.spec.ClusterSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutating webhook: a pod labelled {@code catena.io/client=<cluster>} gets the gateway sidecar
 * of that CatenaCluster (same namespace): the cluster's image, the tenant token from the tenant's
 * Secret ({@code catena.io/tenant} label, else the spec's default tenant), resources from {@code
 * spec.kubernetes.sidecar}, and a locked-down security context. Application containers get {@code
 * CATENA_GATEWAY} and nothing else; none is made privileged. A pod that already has the sidecar is
 * left alone.
 */
public final class SidecarInjector {
  public static final String CONTAINER = "catena-gateway";
  static final String INJECTED = "catena.io/injected";

  private final KubernetesClient client;

  public SidecarInjector(KubernetesClient client) {
    this.client = client;
  }

  public AdmissionResponse admit(AdmissionRequest request) {
    Pod pod = Serialization.unmarshal(Serialization.asJson(request.getObject()), Pod.class);
    Map<String, String> labels =
        pod.getMetadata() == null || pod.getMetadata().getLabels() == null
            ? Map.of()
            : pod.getMetadata().getLabels();
    String clusterName = labels.get(ClusterNames.CLIENT_LABEL);
    if (clusterName == null
        || pod.getSpec().getContainers().stream().anyMatch(c -> CONTAINER.equals(c.getName()))) {
      return allow(request, null);
    }
    String namespace = request.getNamespace();
    CatenaCluster cluster =
        client.resources(CatenaCluster.class).inNamespace(namespace).withName(clusterName).get();
    if (cluster == null || cluster.getSpec() == null) {
      return deny(
          request,
          ClusterNames.CLIENT_LABEL
              + " names CatenaCluster '"
              + clusterName
              + "', which does not exist in namespace "
              + namespace);
    }
    ClusterSpec spec = cluster.getSpec();
    KubernetesSettings settings = KubernetesSettings.of(spec);
    String tenant = labels.getOrDefault(ClusterNames.TENANT_LABEL, settings.defaultTenant());
    if (tenant == null) {
      return deny(
          request,
          "label the pod "
              + ClusterNames.TENANT_LABEL
              + "=<tenant>: CatenaCluster "
              + clusterName
              + " has no tenants");
    }
    if (spec.tenants().stream().noneMatch(t -> tenant.equals(t.name()))) {
      return deny(request, "tenant '" + tenant + "' is not in CatenaCluster " + clusterName);
    }
    ClusterNames names = ClusterNames.of(cluster);
    return allow(request, patch(pod, sidecar(names, settings, tenant), settings.sidecarPort()));
  }

  static Container sidecar(ClusterNames names, KubernetesSettings settings, String tenant) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(settings.image())
        .withImagePullPolicy(settings.imagePullPolicy())
        .withArgs(
            "gateway",
            "--listen",
            "127.0.0.1:" + settings.sidecarPort(),
            "--mgmtd",
            names.mgmtdService() + ":" + ClusterNames.MGMTD_PORT,
            "--meta",
            names.metaService() + ":" + ClusterNames.META_PORT)
        .withEnv(
            new EnvVarBuilder().withName("CATENA_TENANT").withValue(tenant).build(),
            new EnvVarBuilder()
                .withName("CATENA_TOKEN")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(names.tenantSecret(tenant))
                .withKey(TenantsStep.TOKEN_KEY)
                .endSecretKeyRef()
                .endValueFrom()
                .build(),
            // No certificates from the operator yet (docs/security.md): dial in plain text.
            new EnvVarBuilder().withName("CATENA_INSECURE_PLAINTEXT").withValue("true").build())
        .addNewPort()
        .withName("catena-http")
        .withContainerPort(settings.sidecarPort())
        .endPort()
        .withNewReadinessProbe()
        .withNewTcpSocket()
        .withNewPort(settings.sidecarPort())
        .endTcpSocket()
        .endReadinessProbe()
        .withResources(DaemonResources.resources(settings.sidecarResources()))
        .withNewSecurityContext()
        .withPrivileged(false)
        .withAllowPrivilegeEscalation(false)
        .withRunAsNonRoot(true)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .build();
  }

  /** The JSON patch: the sidecar appended, CATENA_GATEWAY on each app container, an annotation. */
  static List<Map<String, Object>> patch(Pod pod, Container sidecar, int port) {
    List<Map<String, Object>> ops = new ArrayList<>();
    EnvVar gateway =
        new EnvVarBuilder()
            .withName("CATENA_GATEWAY")
            .withValue("http://127.0.0.1:" + port)
            .build();
    List<Container> containers = pod.getSpec().getContainers();
    for (int i = 0; i < containers.size(); i++) {
      if (containers.get(i).getEnv() == null || containers.get(i).getEnv().isEmpty()) {
        ops.add(op("add", "/spec/containers/" + i + "/env", List.of(json(gateway))));
      } else {
        ops.add(op("add", "/spec/containers/" + i + "/env/-", json(gateway)));
      }
    }
    ops.add(op("add", "/spec/containers/-", json(sidecar)));
    if (pod.getMetadata().getAnnotations() == null
        || pod.getMetadata().getAnnotations().isEmpty()) {
      ops.add(op("add", "/metadata/annotations", Map.of(INJECTED, "true")));
    } else {
      ops.add(op("add", "/metadata/annotations/" + INJECTED.replace("/", "~1"), "true"));
    }
    return ops;
  }

  private static Object json(Object value) {
    return Serialization.unmarshal(Serialization.asJson(value), Map.class);
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    m.put("value", value);
    return m;
  }

  private static AdmissionResponse allow(
      AdmissionRequest request, List<Map<String, Object>> patch) {
    AdmissionResponseBuilder b =
        new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true);
    if (patch != null) {
      try {
        byte[] bytes = new ObjectMapper().writeValueAsBytes(patch);
        b.withPatchType("JSONPatch").withPatch(Base64.getEncoder().encodeToString(bytes));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return b.build();
  }

  private static AdmissionResponse deny(AdmissionRequest request, String message) {
    return new AdmissionResponseBuilder()
        .withUid(request.getUid())
        .withAllowed(false)
        .withStatus(
            new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage(message)
                .build())
        .build();
  }

  static String decode(String patch) {
    return new String(Base64.getDecoder().decode(patch), StandardCharsets.UTF_8);
  }
}
