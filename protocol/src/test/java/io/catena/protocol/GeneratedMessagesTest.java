package io.catena.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import org.junit.jupiter.api.Test;

/** The build generates Java from the .proto files and the wire format round-trips. */
class GeneratedMessagesTest {

  @Test
  void anErrorDetailSurvivesTheWire() throws Exception {
    ErrorDetail sent =
        ErrorDetail.newBuilder()
            .setCode(ErrorCode.STALE_CHAIN_VERSION)
            .setMessage("chain 7 is at version 12")
            .setRetryable(true)
            .setCurrentVersion(12)
            .build();

    ErrorDetail received = ErrorDetail.parseFrom(sent.toByteArray());

    assertThat(received).isEqualTo(sent);
    assertThat(received.getCode()).isEqualTo(ErrorCode.STALE_CHAIN_VERSION);
  }
}
