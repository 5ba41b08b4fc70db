package io.catena.controlplane.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecFilesTest {

  private static final String VALID =
      """
      apiVersion: catena.io/v1alpha1
      kind: CatenaCluster
      metadata: {name: prod, generation: 4}
      spec:
        replicationFactor: 2
        chunkSize: 4MiB
        nodes:
          - {name: a, address: 10.0.0.1, labels: {rack: r1}, disks: [/d0, /d1], targetsPerDisk: 8}
          - {name: b, address: 10.0.0.2, labels: {rack: r2}, disks: [/d0]}
        tenants:
          - {name: infer, quota: {bytes: 10GiB, files: 1000}}
      """;

  @Test
  void aValidSpecReadsWithItsDefaults() {
    ClusterManifest m = SpecFiles.parse(VALID);
    assertThat(m.name()).isEqualTo("prod");
    assertThat(m.generation()).isEqualTo(4);
    ClusterSpec s = m.spec();
    assertThat(s.chunkSizeBytes()).isEqualTo(4L << 20);
    assertThat(s.stripeOrDefault()).isEqualTo(ClusterSpec.DEFAULT_STRIPE);
    assertThat(s.mgmtdReplicas()).isEqualTo(1);
    assertThat(s.profileOrDefault()).isEqualTo("production");
    assertThat(s.nodes().get(1).targetsPerDiskOrDefault()).isEqualTo(4);
    assertThat(ByteSize.parse(s.tenants().getFirst().quota().bytes())).isEqualTo(10L << 30);
  }

  @Test
  void writingAndReadingGivesTheSameManifest() {
    ClusterManifest m = SpecFiles.parse(VALID);
    assertThat(SpecFiles.parse(SpecFiles.toYaml(m))).isEqualTo(m);
    assertThat(SpecFiles.toYaml(m)).doesNotContain("local:");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "replicationFactor: 3                  | spec.replicationFactor | 3 different 'rack' failure domains",
        "chunkSize: 3MiB                        | spec.chunkSize         | power of two",
        "profile: fast                          | spec.profile           | production or local",
        "mgmtd: {replicas: 2}                   | spec.mgmtd.replicas    | must be 1 with engine rocksdb",
        "kv: {engine: fdb}                      | spec.kv.clusterFile    | required with engine fdb",
        "colour: blue                           | colour                 | unknown field",
      })
  void eachProblemNamesItsFieldAndWhy(String line, String field, String why) {
    String yaml = VALID.replace("  chunkSize: 4MiB\n", "  chunkSize: 4MiB\n  " + line + "\n");
    if (line.startsWith("replicationFactor") || line.startsWith("chunkSize")) {
      yaml =
          VALID.replace(
              line.startsWith("chunk") ? "  chunkSize: 4MiB\n" : "  replicationFactor: 2\n",
              "  " + line + "\n");
    }
    String finalYaml = yaml;
    assertThatThrownBy(() -> SpecFiles.parse(finalYaml))
        .isInstanceOfSatisfying(
            SpecValidationException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(
                        p -> {
                          assertThat(p.toString()).contains(field).contains(why);
                        }));
  }

  @Test
  void nodeProblemsNameTheNodeByIndex() {
    String yaml =
        VALID.replace("{name: b, address: 10.0.0.2,", "{name: a, address: '10.0.0.2:9000',");
    assertThatThrownBy(() -> SpecFiles.parse(yaml))
        .isInstanceOfSatisfying(
            SpecValidationException.class,
            e ->
                assertThat(e.problems().stream().map(SpecProblem::toString).toList())
                    .anyMatch(p -> p.contains("spec.nodes[1].name") && p.contains("already used"))
                    .anyMatch(p -> p.contains("spec.nodes[1].address")));
  }

  @ParameterizedTest
  @CsvSource({"4096,4096", "1KiB,1024", "2MiB,2097152", "1.5GiB,1610612736", "3GB,3000000000"})
  void sizesParse(String text, long bytes) {
    assertThat(ByteSize.parse(text)).isEqualTo(bytes);
  }

  @Test
  void badSizesSayWhy() {
    for (String bad : List.of("", "MiB", "1.3B", "5 parsecs")) {
      assertThatThrownBy(() -> ByteSize.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
