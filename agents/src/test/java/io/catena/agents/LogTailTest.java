package io.catena.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @TempDir Path dir;

  @Test
  void lastReturnsTheLastCompleteLinesAcrossBlocks() throws Exception {
    Path log = dir.resolve("daemon.log");
    String text =
        IntStream.range(0, 5000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"))
            + "\npartial";
    Files.writeString(log, text);

    LogTail.Read read = LogTail.last(log, 3);

    assertThat(read.lines()).containsExactly("line 4997", "line 4998", "line 4999");
    assertThat(read.position()).isEqualTo(text.length() - "partial".length());
  }

  @Test
  void sinceReturnsOnlyNewCompleteLinesAndRestartsAfterTruncation() throws Exception {
    Path log = dir.resolve("daemon.log");
    Files.writeString(log, "a\nb\n");
    LogTail.Read start = LogTail.last(log, 10);
    assertThat(start.lines()).containsExactly("a", "b");

    Files.writeString(log, "c\nd", StandardOpenOption.APPEND);
    LogTail.Read next = LogTail.since(log, start.position());
    assertThat(next.lines()).containsExactly("c");

    Files.writeString(log, "x\n");
    assertThat(LogTail.since(log, next.position()).lines()).containsExactly("x");
  }

  @Test
  void aMissingLogIsEmpty() throws Exception {
    assertThat(LogTail.last(dir.resolve("none"), 5).lines()).isEmpty();
  }
}
