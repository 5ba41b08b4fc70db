package io.catena.client.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.client.ClientErrorCode;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryRulesTest {

  @ParameterizedTest(
      name = "{0} (server says retryable={1}) -> retry={2}, blames replica={3}, code {4}")
  @CsvSource({
    "STALE_CHAIN_VERSION, true,  true,  false, UNAVAILABLE",
    "STALE_CHAIN_VERSION, false, true,  false, UNAVAILABLE",
    "TARGET_NOT_SERVING,  true,  true,  true,  UNAVAILABLE",
    "UNAVAILABLE,         true,  true,  true,  UNAVAILABLE",
    "STALE_ROUTING,       false, true,  false, UNAVAILABLE",
    "NOT_PRIMARY,         false, true,  false, UNAVAILABLE",
    "NOT_FOUND,           false, false, false, NOT_FOUND",
    "PERMISSION_DENIED,   false, false, false, PERMISSION_DENIED",
    "CHECKSUM_MISMATCH,   false, false, false, CHECKSUM_MISMATCH",
    "INVALID_ARGUMENT,    false, false, false, INVALID_ARGUMENT",
    "QUOTA_EXCEEDED,      false, false, false, QUOTA_EXCEEDED",
    "INTERNAL,            false, false, false, INTERNAL",
    "INTERNAL,            true,  true,  false, INTERNAL",
  })
  void storageErrors(
      ErrorCode code,
      boolean serverRetryable,
      boolean retry,
      boolean blames,
      ClientErrorCode clientCode) {
    ErrorDetail e = ErrorDetail.newBuilder().setCode(code).setRetryable(serverRetryable).build();
    assertThat(RetryRules.retryable(e)).isEqualTo(retry);
    assertThat(RetryRules.blamesReplica(e)).isEqualTo(blames);
    assertThat(RetryRules.code(code)).isEqualTo(clientCode);
  }

  @ParameterizedTest(name = "{0} -> retry={1}, else {2}")
  @CsvSource({
    "UNAVAILABLE,        true,  UNAVAILABLE",
    "DEADLINE_EXCEEDED,  true,  UNAVAILABLE",
    "ABORTED,            true,  UNAVAILABLE",
    "RESOURCE_EXHAUSTED, true,  UNAVAILABLE",
    "CANCELLED,          true,  UNAVAILABLE",
    "UNAUTHENTICATED,    false, UNAUTHENTICATED",
    "PERMISSION_DENIED,  false, PERMISSION_DENIED",
    "INVALID_ARGUMENT,   false, INVALID_ARGUMENT",
    "INTERNAL,           false, INTERNAL",
    "UNIMPLEMENTED,      false, INTERNAL",
  })
  void transportFailures(Status.Code code, boolean retry, ClientErrorCode clientCode) {
    assertThat(RetryRules.retryable(code)).isEqualTo(retry);
    assertThat(RetryRules.code(code)).isEqualTo(clientCode);
  }

  @ParameterizedTest(name = "attempt {0} waits at most {1} ms")
  @CsvSource({"0, 10", "1, 10", "2, 20", "3, 40", "4, 80", "5, 160", "6, 320", "7, 500", "50, 500"})
  void backOffDoublesToACap(int attempt, long maxMs) {
    assertThat(RetryRules.maxDelayMillis(attempt)).isEqualTo(maxMs);
    for (int i = 0; i < 100; i++) {
      assertThat(RetryRules.jitteredDelayMillis(attempt)).isBetween(maxMs / 2, maxMs);
    }
  }
}
