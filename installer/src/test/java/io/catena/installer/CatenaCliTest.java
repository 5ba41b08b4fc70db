package io.catena.installer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CatenaCliTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void versionPrintsTheBuildVersionAndTheJavaRuntime() {
    assertThat(run("version")).isZero();
    assertThat(out.toString())
        .startsWith("catena 0.")
        .contains("java   ")
        .contains(String.valueOf(Runtime.version().feature()));
  }

  @Test
  void versionAsJsonCarriesBothFields() throws Exception {
    assertThat(run("version", "--json")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("version").asText()).isEqualTo(BuildVersion.current().version());
    assertThat(json.get("javaRuntime").asText()).contains(Runtime.version().toString());
  }

  @Test
  void helpListsTheCommandsThatExist() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("version");
  }

  @Test
  void anUnknownCommandGivesOneErrorLineAndExitCode2() {
    assertThat(run("no-such-command")).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("catena: ").contains("no-such-command");
    assertThat(out.toString()).isEmpty();
  }
}
