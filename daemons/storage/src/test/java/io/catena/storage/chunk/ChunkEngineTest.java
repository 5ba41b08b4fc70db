package io.catena.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.storage.StorageErrorCode;
import io.catena.storage.StorageException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkEngineTest {
  static final EngineConfig SMALL =
      new EngineConfig(
          List.of(64 * EngineConfig.KIB, 256 * EngineConfig.KIB),
          1024 * 1024,
          FsyncPolicy.ALWAYS,
          0);

  @TempDir Path dir;

  static ByteBuffer bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return ByteBuffer.wrap(b);
  }

  static byte[] array(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static void writeCommitted(ChunkEngine e, ChunkId id, long v, int off, ByteBuffer data) {
    e.stage(id, v, 1, off, data, false, "");
    e.commit(id, v);
  }

  @Test
  void committedWriteReadsBackWithItsChecksumAndSurvivesReopen() {
    ChunkId id = ChunkId.of(7, 0);
    ByteBuffer data = bytes(100_000, 1);
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      writeCommitted(e, id, 1, 0, data);
      ReadResult r = e.read(id, 0, 0);
      assertThat(array(r.data())).isEqualTo(array(data));
      assertThat(r.commitVersion()).isEqualTo(1);
      assertThat(r.crc32c()).isEqualTo(ChunkEngine.crc(data));
    }
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      assertThat(array(e.read(id, 0, 0).data())).isEqualTo(array(data));
      assertThat(array(e.read(id, 10, 20).data()))
          .isEqualTo(Arrays.copyOfRange(array(data), 10, 30));
    }
  }

  @Test
  void aPendingVersionIsInvisibleAndACrashBeforeCommitKeepsTheCommittedOne() {
    ChunkId id = ChunkId.of(1, 1);
    ByteBuffer v1 = bytes(50_000, 1);
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      writeCommitted(e, id, 1, 0, v1);
      e.stage(id, 2, 1, 0, bytes(60_000, 2), false, "");
      assertThat(array(e.read(id, 0, 0).data())).isEqualTo(array(v1));
      assertThat(e.meta(id).orElseThrow().updateVersion()).isEqualTo(2);
      // no commit: the "crash" is closing here
    }
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      ChunkMeta meta = e.meta(id).orElseThrow();
      assertThat(meta.pending()).isNull();
      assertThat(meta.commitVersion()).isEqualTo(1);
      assertThat(array(e.read(id, 0, 0).data())).isEqualTo(array(v1));
      // the slot of the dropped version is free again: only v1's slot is used
      assertThat(e.space().usedBytes()).isEqualTo(64 * EngineConfig.KIB);
    }
  }

  @Test
  void aRangeWriteCopiesOnWriteAndZeroFillsHoles() {
    ChunkId id = ChunkId.of(2, 0);
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      writeCommitted(e, id, 1, 0, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
      writeCommitted(e, id, 2, 2, ByteBuffer.wrap(new byte[] {9, 9}));
      writeCommitted(e, id, 3, 8, ByteBuffer.wrap(new byte[] {5}));
      assertThat(array(e.read(id, 0, 0).data())).containsExactly(1, 2, 9, 9, 0, 0, 0, 0, 5);
      assertThat(e.space().chunkBytes()).isEqualTo(9);
      assertThat(e.space().usedBytes()).isEqualTo(64 * EngineConfig.KIB);
    }
  }

  @Test
  void growingPastASizeClassMovesTheChunkToTheNextClass() {
    ChunkId id = ChunkId.of(3, 0);
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      writeCommitted(e, id, 1, 0, bytes(1000, 3));
      writeCommitted(e, id, 2, 64 * EngineConfig.KIB, bytes(1000, 4));
      assertThat(e.read(id, 0, 0).chunkLength()).isEqualTo(64 * EngineConfig.KIB + 1000);
      assertThat(e.space().usedBytes()).isEqualTo(256 * EngineConfig.KIB);
    }
  }

  @Test
  void writesPastTheLargestClassOrCapacityAreRefusedAndChangeNothing() {
    ChunkId id = ChunkId.of(4, 0);
    EngineConfig tiny = SMALL.withCapacity(128 * EngineConfig.KIB);
    try (ChunkEngine e = ChunkEngine.open(dir, tiny)) {
      assertThatThrownBy(() -> e.stage(id, 1, 1, 256 * 1024, bytes(1, 1), false, ""))
          .isInstanceOfSatisfying(
              StorageException.class,
              x -> assertThat(x.code()).isEqualTo(StorageErrorCode.INVALID_ARGUMENT));
      writeCommitted(e, ChunkId.of(4, 1), 1, 0, bytes(10, 1));
      writeCommitted(e, ChunkId.of(4, 2), 1, 0, bytes(10, 2));
      assertThatThrownBy(() -> e.stage(ChunkId.of(4, 3), 1, 1, 0, bytes(10, 3), false, ""))
          .isInstanceOfSatisfying(
              StorageException.class,
              x -> assertThat(x.code()).isEqualTo(StorageErrorCode.NO_SPACE));
      assertThat(e.meta(id)).isEmpty();
      assertThat(e.space().chunkCount()).isEqualTo(2);
    }
  }

  @Test
  void removeFreesTheSlotForReuse() {
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      for (int i = 0; i < 40; i++) {
        writeCommitted(e, ChunkId.of(5, i), 1, 0, bytes(60_000, i));
      }
      long used = e.space().usedBytes();
      for (int i = 0; i < 40; i += 2) {
        assertThat(e.remove(ChunkId.of(5, i))).isTrue();
      }
      assertThat(e.remove(ChunkId.of(5, 0))).isFalse();
      assertThat(e.space().usedBytes()).isEqualTo(used / 2);
      for (int i = 0; i < 40; i += 2) {
        writeCommitted(e, ChunkId.of(6, i), 1, 0, bytes(60_000, 100 + i));
      }
      assertThat(e.space().usedBytes()).isEqualTo(used);
      for (int i = 1; i < 40; i += 2) {
        assertThat(array(e.read(ChunkId.of(5, i), 0, 0).data())).isEqualTo(array(bytes(60_000, i)));
      }
    }
  }

  @Test
  void corruptedDataFailsTheChecksumOnAWholeChunkRead() throws Exception {
    ChunkId id = ChunkId.of(8, 0);
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      writeCommitted(e, id, 1, 0, bytes(4096, 8));
    }
    Path file;
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      file = files.filter(p -> p.toString().endsWith(".dat")).findFirst().orElseThrow();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(100);
      int b = raf.read();
      raf.seek(100);
      raf.write(b ^ 0xFF);
    }
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      assertThatThrownBy(() -> e.read(id, 0, 0))
          .isInstanceOfSatisfying(
              StorageException.class,
              x -> assertThat(x.code()).isEqualTo(StorageErrorCode.CHECKSUM_MISMATCH));
    }
  }

  @Test
  void readsOfMissingChunksAreErrorsAndReadsPastTheEndReturnNothing() {
    ChunkId id = ChunkId.of(9, 0);
    try (ChunkEngine e = ChunkEngine.open(dir, SMALL)) {
      assertThatThrownBy(() -> e.read(id, 0, 0))
          .isInstanceOfSatisfying(
              StorageException.class,
              x -> assertThat(x.code()).isEqualTo(StorageErrorCode.NOT_FOUND));
      writeCommitted(e, id, 1, 0, bytes(10, 1));
      assertThat(e.read(id, 5, 100).data().remaining()).isEqualTo(5);
      // Past the end is not an error: a file's chunk shorter than the range ends in a hole.
      assertThat(e.read(id, 10, 1).data().remaining()).isZero();
      assertThat(e.read(id, 11, 1).data().remaining()).isZero();
      assertThat(e.read(id, 11, 1).chunkLength()).isEqualTo(10);
      assertThatThrownBy(() -> e.read(id, -1, 1)).isInstanceOf(StorageException.class);
    }
  }

  @Test
  void slotsPackAndUnpack() {
    for (Slot s : List.of(new Slot(0, 0, 0), new Slot(31, 0xFFFFFF, Integer.MAX_VALUE))) {
      assertThat(Slot.unpack(s.pack())).isEqualTo(s);
    }
  }

  @Test
  void metadataRoundTripsThroughItsEncoding() {
    ChunkId id = ChunkId.of(new byte[] {1, 2, 3});
    ChunkMeta m =
        new ChunkMeta(
            id,
            new ChunkVersion(3, 2, 100, 42, new Slot(1, 2, 3).pack(), "client#7"),
            new ChunkVersion(4, 2, 200, 43, new Slot(1, 2, 4).pack(), ""));
    assertThat(ChunkMeta.decode(id, m.encode())).isEqualTo(m);
  }
}
