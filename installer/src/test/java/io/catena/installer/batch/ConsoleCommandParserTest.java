package io.catena.installer.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsoleCommandParserTest {

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of("status", new ConsoleCommand.Status()),
        Arguments.of("  nodes  ", new ConsoleCommand.Nodes()),
        Arguments.of("chains", new ConsoleCommand.Chains()),
        Arguments.of("operations", new ConsoleCommand.Operations()),
        Arguments.of("scale-out --nodes 2", new ConsoleCommand.ScaleOut(2, 0, "auto", true)),
        Arguments.of(
            "scale-out --nodes=4 --step 2 --mode new-chains --no-wait",
            new ConsoleCommand.ScaleOut(4, 2, "new-chains", false)),
        Arguments.of("repair --target 2000001", new ConsoleCommand.Repair(2000001, true)),
        Arguments.of("drain --node 3", new ConsoleCommand.Drain("3", false, true)),
        Arguments.of(
            "drain --node node-3 --decommission --no-wait",
            new ConsoleCommand.Drain("node-3", true, false)),
        Arguments.of("rolling-restart", new ConsoleCommand.RollingRestart(List.of(), true)),
        Arguments.of(
            "rolling-restart --nodes a,b",
            new ConsoleCommand.RollingRestart(List.of("a", "b"), true)),
        Arguments.of("rebalance", new ConsoleCommand.Rebalance("5m", true)),
        Arguments.of("rebalance --window 1h", new ConsoleCommand.Rebalance("1h", true)),
        Arguments.of("wait ready", new ConsoleCommand.WaitReady(Duration.ofSeconds(60))),
        Arguments.of(
            "wait ready --timeout 2m", new ConsoleCommand.WaitReady(Duration.ofMinutes(2))),
        Arguments.of(
            "wait ready --timeout 500ms", new ConsoleCommand.WaitReady(Duration.ofMillis(500))),
        Arguments.of(
            "tenant create llama --quota 10GiB",
            new ConsoleCommand.TenantCreate("llama", 10L << 30, 0)),
        Arguments.of("tenant create t2", new ConsoleCommand.TenantCreate("t2", 0, 0)),
        Arguments.of("tenant delete t2", new ConsoleCommand.TenantDelete("t2", false)),
        Arguments.of("tenant delete t2 --purge", new ConsoleCommand.TenantDelete("t2", true)),
        Arguments.of("self-healing pause", new ConsoleCommand.SelfHealing(true)),
        Arguments.of("self-healing resume", new ConsoleCommand.SelfHealing(false)),
        Arguments.of("self-healing status", new ConsoleCommand.SelfHealing(null)));
  }

  @ParameterizedTest
  @MethodSource("good")
  void parses(String line, ConsoleCommand expected) {
    assertThat(ConsoleCommandParser.parse(line)).isEqualTo(expected);
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("frobnicate", "unknown command 'frobnicate'"),
        Arguments.of("status now", "status takes no arguments"),
        Arguments.of("scale-out", "--nodes is required"),
        Arguments.of("scale-out --nodes two", "--nodes must be a positive number, got 'two'"),
        Arguments.of("scale-out --nodes 0", "must be a positive number"),
        Arguments.of(
            "scale-out --nodes 2 --mode sideways", "--mode is auto, migrate or new-chains"),
        Arguments.of("scale-out --nodes 2 --nodes 3", "--nodes is given twice"),
        Arguments.of("scale-out --nodes", "--nodes needs a value"),
        Arguments.of("repair", "--target is required"),
        Arguments.of("repair --target 5 --force", "unknown option --force"),
        Arguments.of("drain 3", "expected 0 word(s)"),
        Arguments.of("rebalance --window 2m", "--window is 1m, 5m, 15m or 1h"),
        Arguments.of("wait", "expected 1 word(s)"),
        Arguments.of("wait healthy", "only 'wait ready' exists"),
        Arguments.of("wait ready --timeout soon", "a duration is a number"),
        Arguments.of("tenant create", "expected 2 word(s)"),
        Arguments.of("tenant rename x", "'tenant create NAME' or 'tenant delete NAME'"),
        Arguments.of("tenant delete x --quota 1GiB", "quota"),
        Arguments.of("tenant create x --quota lots", "lots"),
        Arguments.of("self-healing", "expected 1 word(s)"),
        Arguments.of("self-healing off", "pause, resume or status"));
  }

  @ParameterizedTest
  @MethodSource("bad")
  void rejectsWithAClearReason(String line, String reason) {
    assertThatThrownBy(() -> ConsoleCommandParser.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
