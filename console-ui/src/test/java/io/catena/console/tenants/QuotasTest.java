package io.catena.console.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuotasTest {

  @ParameterizedTest
  @CsvSource({"'', 0", "1, 1073741824", "1.5, 1610612736", " 100 , 107374182400", "0, 0"})
  void gib(String text, long bytes) {
    assertThat(Quotas.gibToBytes(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "ten", "1,5"})
  void badGib(String text) {
    assertThatThrownBy(() -> Quotas.gibToBytes(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quota");
  }

  @ParameterizedTest
  @CsvSource({"'', 0", "1000, 1000"})
  void files(String text, long n) {
    assertThat(Quotas.files(text)).isEqualTo(n);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5", "1.5", "many"})
  void badFiles(String text) {
    assertThatThrownBy(() -> Quotas.files(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "team-llama", "t0"})
  void goodNames(String name) {
    assertThat(Quotas.name(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Team", "1team", "team_llama", "-x"})
  void badNames(String name) {
    assertThatThrownBy(() -> Quotas.name(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenant name");
  }
}
