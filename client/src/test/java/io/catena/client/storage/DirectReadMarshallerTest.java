package io.catena.client.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.storage.BatchReadResponse;
import io.catena.protocol.storage.ReadResponse;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DirectReadMarshallerTest {

  @Test
  void dataLandsInTheDestinationsAndEverythingElseIsParsed() {
    byte[] big = new byte[300_000];
    new Random(1).nextBytes(big);
    BatchReadResponse wire =
        BatchReadResponse.newBuilder()
            .addResults(
                ReadResponse.newBuilder()
                    .setData(ByteString.copyFrom(big))
                    .setCommitVersion(7)
                    .setChunkLength(400_000)
                    .setChunkCrc32C(-5)
                    .setUnknownFields(
                        UnknownFieldSet.newBuilder()
                            .addField(
                                99,
                                UnknownFieldSet.Field.newBuilder()
                                    .addLengthDelimited(ByteString.copyFromUtf8("future"))
                                    .addVarint(3)
                                    .build())
                            .build()))
            .addResults(
                ReadResponse.newBuilder()
                    .setError(
                        ErrorDetail.newBuilder()
                            .setCode(ErrorCode.STALE_CHAIN_VERSION)
                            .setMessage("stale")
                            .setRetryable(true)
                            .setCurrentVersion(9)))
            .addResults(ReadResponse.newBuilder().setData(ByteString.copyFrom(new byte[] {1, 2})))
            .addResults(ReadResponse.newBuilder().setData(ByteString.copyFrom(new byte[10])))
            .build();
    ByteBuffer first = ByteBuffer.allocateDirect(big.length + 10);
    ByteBuffer second = ByteBuffer.allocate(4);
    ByteBuffer third = ByteBuffer.allocate(2);
    ByteBuffer tooSmall = ByteBuffer.allocate(5);
    DirectReadMarshaller m = new DirectReadMarshaller(List.of(first, second, third, tooSmall));

    BatchReadResponse parsed = m.parse(new ByteArrayInputStream(wire.toByteArray()));

    assertThat(parsed.getResultsCount()).isEqualTo(4);
    ReadResponse r0 = parsed.getResults(0);
    assertThat(r0.getData().isEmpty()).isTrue();
    assertThat(r0.getCommitVersion()).isEqualTo(7);
    assertThat(r0.getChunkLength()).isEqualTo(400_000);
    assertThat(r0.getChunkCrc32C()).isEqualTo(-5);
    assertThat(m.placed(0)).isEqualTo(big.length);
    byte[] got = new byte[big.length];
    first.get(0, got);
    assertThat(got).isEqualTo(big);
    assertThat(first.position()).isZero();

    assertThat(parsed.getResults(1).getError().getCode()).isEqualTo(ErrorCode.STALE_CHAIN_VERSION);
    assertThat(parsed.getResults(1).getError().getCurrentVersion()).isEqualTo(9);
    assertThat(m.placed(1)).isZero();
    assertThat(m.placed(2)).isEqualTo(2);
    assertThat(third.get(0)).isEqualTo((byte) 1);
    assertThat(third.get(1)).isEqualTo((byte) 2);
    // Data that does not fit stays in the message, for the caller to reject.
    assertThat(m.placed(3)).isZero();
    assertThat(parsed.getResults(3).getData().size()).isEqualTo(10);
  }
}
