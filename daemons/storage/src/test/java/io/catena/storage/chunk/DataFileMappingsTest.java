package io.catena.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFileMappingsTest {
  private static final int FILE_BYTES = 64 * 1024;

  @TempDir Path dir;

  private FileChannel file(String name, byte fill) throws IOException {
    FileChannel ch =
        FileChannel.open(
            dir.resolve(name),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    byte[] bytes = new byte[FILE_BYTES];
    java.util.Arrays.fill(bytes, fill);
    ch.write(ByteBuffer.wrap(bytes), 0);
    return ch;
  }

  @Test
  void theBudgetUnmapsTheLeastRecentlyUsedFileButNotOneStillBeingRead() throws Exception {
    try (FileChannel a = file("a", (byte) 'a');
        FileChannel b = file("b", (byte) 'b');
        FileChannel c = file("c", (byte) 'c');
        DataFileMappings mappings = new DataFileMappings(2L * FILE_BYTES)) {
      var fromA = mappings.bytes(1, a, 0, 16);
      mappings.bytes(2, b, 0, 16).close();
      mappings.bytes(2, b, 100, 16).close(); // b is now the most recently used
      try (var fromC = mappings.bytes(3, c, 0, 16)) {
        assertThat(mappings.mappedBytes()).isEqualTo(2L * FILE_BYTES);
        // a was retired by the budget, but its reader still holds valid bytes
        assertThat(fromA.buffer().get(15)).isEqualTo((byte) 'a');
        assertThat(fromC.buffer().get(0)).isEqualTo((byte) 'c');
      }
      fromA.close();
      fromA.close(); // a second close releases nothing more
      try (var again = mappings.bytes(1, a, FILE_BYTES - 8, 8)) {
        assertThat(again.buffer().remaining()).isEqualTo(8);
        assertThat(again.buffer().get(7)).isEqualTo((byte) 'a');
      }
      assertThat(mappings.mappedBytes()).isEqualTo(2L * FILE_BYTES);
    }
  }

  @Test
  void aRangePastTheEndOfTheFileIsRefusedAndLeavesNothingInUse() throws Exception {
    try (FileChannel a = file("a", (byte) 'a');
        DataFileMappings mappings = new DataFileMappings(FILE_BYTES)) {
      assertThatThrownBy(() -> mappings.bytes(1, a, FILE_BYTES - 8, 16))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("data file ends at " + FILE_BYTES);
      mappings.close();
      assertThatThrownBy(() -> mappings.bytes(1, a, 0, 16))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void bytesInUseWhenTheFilesCloseStayReadableUntilReleased() throws Exception {
    try (FileChannel a = file("a", (byte) 'a')) {
      DataFileMappings mappings = new DataFileMappings(FILE_BYTES);
      var held = mappings.bytes(1, a, 0, 16);
      mappings.close();
      assertThat(held.buffer().get(3)).isEqualTo((byte) 'a');
      held.close();
      assertThatThrownBy(() -> held.buffer().get(3)).isInstanceOf(IllegalStateException.class);
    }
  }
}
