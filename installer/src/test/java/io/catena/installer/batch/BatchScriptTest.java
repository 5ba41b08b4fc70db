package io.catena.installer.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchScriptTest {

  private final List<ConsoleCommand> ran = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  private ConsoleClient.Result record(ConsoleCommand c) {
    ran.add(c);
    return new ConsoleClient.Result("ok", json.createObjectNode().put("did", c.toString()));
  }

  @Test
  void aLineThatDoesNotParseStopsTheScriptBeforeAnythingRuns() {
    List<String> script =
        List.of("# nightly", "status", "", "scale-out --nodes 2", "repair --target", "chains");
    assertThatThrownBy(() -> BatchScript.parse(script))
        .isInstanceOfSatisfying(
            BatchScript.LineFailedException.class,
            e -> {
              assertThat(e.line()).isEqualTo(5);
              assertThat(e.badInput()).isTrue();
              assertThat(e.getMessage()).startsWith("line 5: ").contains("--target");
            });
    assertThat(ran).isEmpty();
  }

  @Test
  void aFailingLineStopsTheRestAndIsNamedByItsFileLineNumber() {
    BatchScript script =
        BatchScript.parse(List.of("status", "# comment", "drain --node 1", "", "nodes", "chains"));
    assertThat(script.lines()).extracting(BatchScript.Line::number).containsExactly(1, 3, 5, 6);
    StringWriter out = new StringWriter();
    assertThatThrownBy(
            () ->
                script.run(
                    c -> {
                      if (c instanceof ConsoleCommand.Drain) {
                        throw new ConsoleClient.CommandFailedException(
                            "op-1 drain refused: chain-2");
                      }
                      return record(c);
                    },
                    new PrintWriter(out),
                    false))
        .isInstanceOfSatisfying(
            BatchScript.LineFailedException.class,
            e -> {
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.badInput()).isFalse();
              assertThat(e.getMessage()).isEqualTo("line 3: op-1 drain refused: chain-2");
            });
    assertThat(ran).containsExactly(new ConsoleCommand.Status());
    assertThat(out.toString()).contains("[1] status").doesNotContain("[5]");
  }

  @Test
  void jsonOutputIsOneObjectPerLineIncludingTheFailure() throws Exception {
    BatchScript script = BatchScript.parse(List.of("status", "self-healing pause", "nodes"));
    StringWriter out = new StringWriter();
    assertThatThrownBy(
            () ->
                script.run(
                    c -> {
                      if (c instanceof ConsoleCommand.SelfHealing) {
                        throw new ConsoleClient.CommandFailedException("unreachable");
                      }
                      return record(c);
                    },
                    new PrintWriter(out),
                    true))
        .isInstanceOf(BatchScript.LineFailedException.class);
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(json.readTree(lines.get(0)).get("ok").asBoolean()).isTrue();
    assertThat(json.readTree(lines.get(0)).get("line").asInt()).isEqualTo(1);
    assertThat(json.readTree(lines.get(1)).get("ok").asBoolean()).isFalse();
    assertThat(json.readTree(lines.get(1)).get("line").asInt()).isEqualTo(2);
    assertThat(json.readTree(lines.get(1)).get("error").asText()).isEqualTo("unreachable");
  }
}
