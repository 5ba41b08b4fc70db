package io.catena.client.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A data channel that failed is left alone for the pause, then tried again. */
class EndpointPauseTest {

  @ParameterizedTest(name = "failed at {0} ms, asked at {1} ms: usable {2}")
  @CsvSource({
    // failedAt, askedAt, usable (pause 5000 ms); -1: never failed
    "-1,    0,    true",
    "0,     0,    false",
    "0,     4999, false",
    "0,     5000, true",
    "0,     9000, true",
    "1000,  5999, false",
    "1000,  6000, true",
  })
  void pausesAFailedEndpoint(long failedAt, long askedAt, boolean usable) {
    AtomicLong nowMs = new AtomicLong();
    EndpointPause pause =
        new EndpointPause(Duration.ofSeconds(5), () -> Duration.ofMillis(nowMs.get()).toNanos());
    if (failedAt >= 0) {
      nowMs.set(failedAt);
      pause.failed("10.0.0.1:9000");
    }
    nowMs.set(askedAt);
    assertThat(pause.usable("10.0.0.1:9000")).isEqualTo(usable);
    assertThat(pause.usable("10.0.0.2:9000")).as("another endpoint").isTrue();
  }
}
