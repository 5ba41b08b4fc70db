package io.catena.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0 B",
    "1023, 1023 B",
    "1024, 1.0 KiB",
    "1536, 1.5 KiB",
    "10485760, 10 MiB",
    "1099511627776, 1.0 TiB",
    "-1, —"
  })
  void bytes(long value, String expected) {
    assertThat(Formats.bytes(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"-1, unknown", "0, 0s", "1, 1s", "45000, 45s", "200000, 3m 20s", "7500000, 2h 05m"})
  void duration(long ms, String expected) {
    assertThat(Formats.duration(ms)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, 0%", "0.456, 46%", "1, 100%", "1.7, 100%", "-0.2, 0%"})
  void percent(double fraction, String expected) {
    assertThat(Formats.percent(fraction)).isEqualTo(expected);
  }

  @Test
  void aGrpcErrorIsItsCodeAndTheServersMessage() {
    assertThat(
            Formats.error(
                Status.ALREADY_EXISTS.withDescription("tenant 'a' exists").asRuntimeException()))
        .isEqualTo("ALREADY_EXISTS: tenant 'a' exists");
    assertThat(Formats.error(Status.UNAVAILABLE.asRuntimeException())).isEqualTo("UNAVAILABLE");
    assertThat(Formats.error(new IllegalStateException("boom")))
        .isEqualTo("IllegalStateException: boom");
  }

  @Test
  void aRoutingVersionTheControlPlaneDoesNotReportIsLeftOut() {
    assertThat(Formats.routingVersion(" · ", 12)).isEqualTo(" · routing v12");
    assertThat(Formats.routingVersion(" · ", 0)).isEmpty();
  }
}
