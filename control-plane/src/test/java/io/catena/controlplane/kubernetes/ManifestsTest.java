package io.catena.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.status.ClusterStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests under installer/k8s: they parse, the CRD matches the Java model, kubectl takes
 * them.
 */
class ManifestsTest {
  static final Path DIR = Path.of("..", "installer", "k8s");

  static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  static CustomResourceDefinition crd() throws IOException {
    return Serialization.unmarshal(
        Files.readString(DIR.resolve("00-catenaclusters.catena.io-crd.yaml")),
        CustomResourceDefinition.class);
  }

  @Test
  void everyManifestParsesAndTheSampleIsValid() throws IOException {
    for (Path file : files()) {
      Object parsed = Serialization.unmarshal(Files.readString(file));
      List<?> items =
          switch (parsed) {
            case KubernetesList list -> list.getItems();
            case List<?> list -> list;
            default -> List.of((HasMetadata) parsed);
          };
      assertThat(items).as(file.toString()).allMatch(HasMetadata.class::isInstance);
      assertThat(items).as(file.toString()).isNotEmpty();
    }
    CatenaCluster sample =
        Serialization.unmarshal(
            Files.readString(DIR.resolve("04-sample-catenacluster.yaml")), CatenaCluster.class);
    assertThat(KubernetesSpecCheck.problems(sample)).isEmpty();
  }

  @Test
  void crdSchemaMatchesTheJavaRecords() throws IOException {
    var version = crd().getSpec().getVersions().getFirst();
    assertThat(crd().getSpec().getGroup()).isEqualTo(CatenaCluster.GROUP);
    assertThat(version.getName()).isEqualTo(CatenaCluster.VERSION);
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .contains("Ready", "Capacity");
    Map<String, JSONSchemaProps> top = version.getSchema().getOpenAPIV3Schema().getProperties();
    List<String> mismatches = new ArrayList<>();
    compare("spec", ClusterSpec.class, top.get("spec"), mismatches);
    compare("status", ClusterStatus.class, top.get("status"), mismatches);
    assertThat(mismatches).isEmpty();
  }

  /** Every record component has a schema property and the other way round, recursively. */
  static void compare(String at, Class<?> type, JSONSchemaProps schema, List<String> out) {
    if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
      return; // free-form (x-kubernetes-preserve-unknown-fields)
    }
    List<String> components = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      components.add(c.getName());
      JSONSchemaProps prop = schema.getProperties().get(c.getName());
      if (prop == null) {
        out.add(at + "." + c.getName() + " is missing from the CRD");
        continue;
      }
      Class<?> nested = recordOf(c.getGenericType());
      if (nested != null) {
        compare(
            at + "." + c.getName(),
            nested,
            prop.getItems() != null ? prop.getItems().getSchema() : prop,
            out);
      }
    }
    for (String name : schema.getProperties().keySet()) {
      if (!components.contains(name)) {
        out.add(at + "." + name + " is in the CRD but not in " + type.getSimpleName());
      }
    }
  }

  static Class<?> recordOf(Type type) {
    if (type instanceof Class<?> c && c.isRecord()) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      return recordOf(p.getActualTypeArguments()[0]);
    }
    return null;
  }

  /**
   * {@code kubectl apply --dry-run=client} needs API discovery: against KUBECONFIG's cluster when
   * set, else against {@link DiscoveryStub}, which answers discovery for the kinds of the manifests
   * and 404 for every object (so kubectl plans a create of each).
   */
  @Test
  void kubectlApplyDryRunAcceptsTheManifests(@TempDir Path tmp) throws Exception {
    Path kubectl = kubectl();
    assumeTrue(kubectl != null, "kubectl is not on PATH (Debian: kubernetes-client)");
    String kubeconfig = System.getenv("KUBECONFIG");
    try (DiscoveryStub stub = kubeconfig == null ? DiscoveryStub.start() : null) {
      if (stub != null) {
        kubeconfig = tmp.resolve("kubeconfig").toString();
        Files.writeString(Path.of(kubeconfig), stub.kubeconfig());
      }
      ProcessBuilder pb =
          new ProcessBuilder(
                  kubectl.toString(),
                  "apply",
                  "--dry-run=client",
                  "--validate=false",
                  "-f",
                  DIR.toString())
              .redirectErrorStream(true);
      pb.environment().put("KUBECONFIG", kubeconfig);
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(output)
          .contains("customresourcedefinition.apiextensions.k8s.io/catenaclusters.catena.io")
          .contains("catenacluster.catena.io/demo")
          .contains("networkpolicy.networking.k8s.io/catena-demo-daemons")
          .contains(
              "mutatingwebhookconfiguration.admissionregistration.k8s.io/catena-client-sidecar");
    }
  }

  /** $KUBECTL when set, else the first kubectl on PATH. */
  private static Path kubectl() {
    String explicit = System.getenv("KUBECTL");
    if (explicit != null && Files.isExecutable(Path.of(explicit))) {
      return Path.of(explicit);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
