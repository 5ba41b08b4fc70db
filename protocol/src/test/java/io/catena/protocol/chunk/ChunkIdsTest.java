package io.catena.protocol.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkIdsTest {

  @Test
  void inodeThenUnsignedIndexBigEndian() {
    assertThat(ChunkIds.of(0x0102030405060708L, 0xA0B0C0D0L))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 0xA0, 0xB0, 0xC0, 0xD0);
    assertThat(ChunkIds.of(7, 0)).containsExactly(0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0);
  }

  @Test
  void indexesOutsideFourUnsignedBytesAreRefused() {
    assertThatThrownBy(() -> ChunkIds.of(1, ChunkIds.MAX_CHUNKS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkIds.of(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chunksRotateOverTheStripe() {
    List<Integer> chains = List.of(5, 9, 2);
    assertThat(List.of(0L, 1L, 2L, 3L, 7L))
        .extracting(i -> ChunkIds.chainOf(chains, i))
        .containsExactly(5, 9, 2, 5, 9);
  }
}
