package io.catena.installer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.installer.CatenaCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopologyCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void planPrintsTheTablesMetricsAsJson() throws Exception {
    int code =
        run(
            "topology",
            "plan",
            "--nodes",
            "12",
            "--disks",
            "2",
            "--targets-per-disk",
            "3",
            "--replicas",
            "3",
            "--racks",
            "4",
            "--seed",
            "5",
            "--json");
    assertThat(code).as(err.toString()).isZero();
    JsonNode json = json();
    assertThat(json.get("nodes").asInt()).isEqualTo(12);
    assertThat(json.get("targets").asInt()).isEqualTo(72);
    assertThat(json.get("chains").asInt()).isEqualTo(24);
    assertThat(json.get("targetsPerNode").get("min").asInt()).isEqualTo(6);
    assertThat(json.get("targetsPerNode").get("max").asInt()).isEqualTo(6);
    assertThat(
            json.get("headsPerNode").get("max").asInt()
                - json.get("headsPerNode").get("min").asInt())
        .isLessThanOrEqualTo(1);
    assertThat(json.get("domainViolations").asInt()).isZero();
    assertThat(json.get("maxPairShare").asInt())
        .isLessThanOrEqualTo(json.get("idealPairShare").asInt() + 1);
    assertThat(json.get("meetsBounds").asBoolean()).isTrue();
    assertThat(json.get("millis").asLong()).isNotNegative();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void planPrintsTextByDefault() {
    assertThat(run("topology", "plan", "--nodes", "5", "--disks", "1", "--targets-per-disk", "6"))
        .isZero();
    assertThat(out.toString())
        .contains("chains            10")
        .contains("targetsPerNode    6..6")
        .contains("idealPairShare    3");
  }

  @Test
  void scaleOutPrintsThePlanSummaryAsJson() throws Exception {
    int code =
        run(
            "topology",
            "scale-out",
            "--nodes",
            "10",
            "--add",
            "5",
            "--step",
            "5",
            "--disks",
            "2",
            "--targets-per-disk",
            "3",
            "--replicas",
            "3",
            "--json");
    assertThat(code).as(err.toString()).isZero();
    JsonNode json = json();
    assertThat(json.get("strategy").asText()).isEqualTo("migrate");
    assertThat(json.get("waves").asInt()).isEqualTo(1);
    assertThat(json.get("steps").asInt()).isPositive();
    assertThat(json.get("movedFraction").asDouble())
        .isLessThanOrEqualTo(1.2 * json.get("idealFraction").asDouble());
    assertThat(json.get("idealFraction").asDouble()).isEqualTo(5.0 / 15);
    assertThat(json.get("targetsPerNode").get("min").asInt()).isEqualTo(4);
    assertThat(json.get("targetsPerNode").get("max").asInt()).isEqualTo(4);
    assertThat(json.get("minServingDuringPlan").asInt()).isEqualTo(2);
  }

  @Test
  void scaleOutWithNewChainsMovesNothing() throws Exception {
    int code =
        run(
            "topology",
            "scale-out",
            "--nodes",
            "6",
            "--add",
            "3",
            "--disks",
            "1",
            "--targets-per-disk",
            "3",
            "--strategy",
            "new-chains",
            "--json");
    assertThat(code).as(err.toString()).isZero();
    assertThat(json().get("movedFraction").asDouble()).isZero();
    assertThat(json().get("minServingDuringPlan").asInt()).isEqualTo(3);
  }

  @Test
  void badInputGivesOneLineAndExitCode2() {
    assertThat(
            run(
                "topology",
                "plan",
                "--nodes",
                "4",
                "--disks",
                "1",
                "--targets-per-disk",
                "3",
                "--racks",
                "2"))
        .isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("catena: --racks 2 cannot keep 3 replicas");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aRefusedScaleOutSaysWhyWithExitCode2() {
    int code =
        run(
            "topology",
            "scale-out",
            "--nodes",
            "6",
            "--add",
            "2",
            "--disks",
            "1",
            "--targets-per-disk",
            "3",
            "--strategy",
            "new-chains");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("new chains go on the new nodes only");
  }

  @Test
  void aMissingOptionIsReportedOnOneLine() {
    assertThat(run("topology", "plan", "--nodes", "4")).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("Missing required options");
  }
}
