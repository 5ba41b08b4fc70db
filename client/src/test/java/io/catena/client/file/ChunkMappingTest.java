package io.catena.client.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkMappingTest {

  private static final FileLayout LAYOUT = new FileLayout(1, 1, 100, 3, List.of(7, 5, 9));

  @Test
  void rangesSplitAtChunkBoundariesAndRotateOverTheStripe() {
    assertThat(ChunkMapping.pieces(LAYOUT, 0, 100))
        .containsExactly(new ChunkPiece(0, 7, 0, 100, 0));
    assertThat(ChunkMapping.pieces(LAYOUT, 50, 100))
        .containsExactly(new ChunkPiece(0, 7, 50, 50, 0), new ChunkPiece(1, 5, 0, 50, 50));
    assertThat(ChunkMapping.pieces(LAYOUT, 250, 260))
        .containsExactly(
            new ChunkPiece(2, 9, 50, 50, 0),
            new ChunkPiece(3, 7, 0, 100, 50),
            new ChunkPiece(4, 5, 0, 100, 150),
            new ChunkPiece(5, 9, 0, 10, 250));
    assertThat(ChunkMapping.pieces(LAYOUT, 399, 1)).containsExactly(new ChunkPiece(3, 7, 99, 1, 0));
    assertThat(ChunkMapping.pieces(LAYOUT, 12345, 0)).isEmpty();
  }

  @Test
  void piecesCoverTheRangeExactlyOnce() {
    for (long offset = 0; offset < 400; offset += 37) {
      for (int length = 1; length < 500; length += 41) {
        List<ChunkPiece> pieces = ChunkMapping.pieces(LAYOUT, offset, length);
        int covered = 0;
        for (ChunkPiece p : pieces) {
          assertThat(p.bufferOffset()).isEqualTo(covered);
          assertThat(p.chunkIndex() * 100 + p.chunkOffset()).isEqualTo(offset + covered);
          assertThat(p.chunkOffset() + p.length()).isLessThanOrEqualTo(100);
          assertThat(p.chainId()).isEqualTo(LAYOUT.chainIds().get((int) (p.chunkIndex() % 3)));
          covered += p.length();
        }
        assertThat(covered).isEqualTo(length);
      }
    }
  }

  @Test
  void chunkIdsAreInodeThenIndexBigEndianAndIndexesStayBelowTwoToThe32() {
    assertThat(ChunkIds.of(0x0102030405060708L, 0xA0B0C0D0L))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 0xA0, 0xB0, 0xC0, 0xD0);
    FileLayout big = new FileLayout(1, 1, 4096, 1, List.of(1));
    assertThat(ChunkMapping.pieces(big, (ChunkMapping.MAX_CHUNKS - 1) * 4096, 4096)).hasSize(1);
    assertThatThrownBy(() -> ChunkMapping.pieces(big, ChunkMapping.MAX_CHUNKS * 4096, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
