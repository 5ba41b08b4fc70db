package io.catena.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the command line accepts for --view, --theme and --control-plane. */
class NamesTest {

  @ParameterizedTest
  @CsvSource({
    "overview, OVERVIEW",
    "Topology, TOPOLOGY",
    "hot-spots, HOTSPOTS",
    "hot spots, HOTSPOTS",
    " actions , ACTIONS"
  })
  void viewNames(String text, ViewName expected) {
    assertThat(ViewName.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "graphs", "top"})
  void unknownViewsNameTheChoices(String text) {
    assertThatThrownBy(() -> ViewName.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overview, nodes, topology, tenants, hotspots, actions");
  }

  @ParameterizedTest
  @CsvSource({"light, LIGHT", "DARK, DARK"})
  void themes(String text, Theme expected) {
    assertThat(Theme.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", ":9000", "host:", "host:0", "host:70000", "host:port"})
  void remoteNeedsHostAndPort(String text) {
    assertThatThrownBy(() -> ConsoleConnection.remote(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--control-plane");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:9000", "cp.example:443", "[::1]:9000"})
  void remoteAcceptsHostAndPort(String text) {
    ConsoleConnection.remote(text).shutdownNow();
  }
}
