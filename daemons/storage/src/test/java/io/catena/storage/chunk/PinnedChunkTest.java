package io.catena.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnedChunkTest {
  private static final byte[] HEAD = {1, 2, 3};

  @TempDir Path dir;

  private byte[] transfer(PinnedChunk p) throws Exception {
    Path sent = dir.resolve("sent");
    try (FileChannel out =
        FileChannel.open(
            sent,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      p.writeTo(out, ByteBuffer.wrap(HEAD));
    }
    byte[] all = Files.readAllBytes(sent);
    assertThat(Arrays.copyOf(all, HEAD.length)).isEqualTo(HEAD);
    return Arrays.copyOfRange(all, HEAD.length, all.length);
  }

  private static void write(ChunkEngine e, ChunkId id, long v, ByteBuffer data) {
    e.stage(id, v, 1, 0, data, true, "");
    e.commit(id, v);
  }

  @Test
  void aPinnedVersionKeepsItsSlotUntilReleasedWhileNewerVersionsCommit() throws Exception {
    ChunkId id = ChunkId.of(9, 0);
    try (ChunkEngine e = ChunkEngine.open(dir, ChunkEngineTest.SMALL)) {
      ByteBuffer v1 = ChunkEngineTest.bytes(60_000, 1);
      write(e, id, 1, v1);
      long oneSlot = e.space().usedBytes();
      PinnedChunk pinned = e.pinCommitted(id, 0, 0);
      for (int v = 2; v <= 6; v++) {
        write(e, id, v, ChunkEngineTest.bytes(60_000, v));
      }
      // the slot of version 1 was not reused: it still holds version 1's bytes
      assertThat(pinned.commitVersion()).isEqualTo(1);
      assertThat(pinned.crc32c()).isEqualTo(ChunkEngine.crc(v1));
      assertThat(transfer(pinned)).isEqualTo(ChunkEngineTest.array(v1));
      assertThat(e.space().usedBytes()).isEqualTo(2 * oneSlot);
      pinned.close();
      pinned.close();
      assertThat(e.space().usedBytes()).isEqualTo(oneSlot);
      try (PinnedChunk range = e.pinCommitted(id, 100, 50)) {
        assertThat(range.length()).isEqualTo(50);
        assertThat(range.commitVersion()).isEqualTo(6);
        assertThat(transfer(range))
            .isEqualTo(
                Arrays.copyOfRange(
                    ChunkEngineTest.array(ChunkEngineTest.bytes(60_000, 6)), 100, 150));
      }
    }
  }

  @Test
  void removingAPinnedChunkFreesItsSlotOnlyOnRelease() throws Exception {
    ChunkId id = ChunkId.of(9, 1);
    try (ChunkEngine e = ChunkEngine.open(dir, ChunkEngineTest.SMALL)) {
      ByteBuffer v1 = ChunkEngineTest.bytes(1000, 7);
      write(e, id, 1, v1);
      try (PinnedChunk pinned = e.pinCommitted(id, 0, 0)) {
        e.remove(id);
        write(e, ChunkId.of(9, 2), 1, ChunkEngineTest.bytes(1000, 8));
        assertThat(transfer(pinned)).isEqualTo(ChunkEngineTest.array(v1));
      }
      assertThat(e.space().chunkCount()).isEqualTo(1);
      assertThat(e.space().usedBytes()).isEqualTo(64 * EngineConfig.KIB);
    }
  }
}
