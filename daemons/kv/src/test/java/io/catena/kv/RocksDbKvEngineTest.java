package io.catena.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbKvEngineTest extends KvEngineConformance {

  @TempDir Path dir;

  @Override
  protected KvEngine openEngine() {
    return KvEngines.open("rocksdb:" + dir.resolve("db"));
  }

  @Test
  void committedDataSurvivesAReopen() {
    engine.run(
        tx -> {
          tx.set(k("kept"), "yes".getBytes(UTF_8));
          return null;
        });
    engine.close();
    engine = KvEngines.open("rocksdb:" + dir.resolve("db"));
    assertThat((byte[]) engine.run(tx -> tx.get(k("kept")))).asString(UTF_8).isEqualTo("yes");
  }

  @Test
  void aLazyCommitSurvivesAReopen() {
    engine.runLazily(
        tx -> {
          tx.set(k("lazy"), "yes".getBytes(UTF_8));
          return null;
        });
    engine.close();
    engine = KvEngines.open("rocksdb:" + dir.resolve("db"));
    assertThat((byte[]) engine.run(tx -> tx.get(k("lazy")))).asString(UTF_8).isEqualTo("yes");
  }

  @Test
  void closingTheEngineUnderAnOpenTransactionFailsItsReadsCleanly() {
    KvTransaction open = engine.begin();
    open.get(k("x"));
    engine.close();
    assertThatThrownBy(() -> open.get(k("y"))).isInstanceOf(KvException.class);
    assertThatThrownBy(() -> open.getRange(k("a"), k("z"), 10)).isInstanceOf(KvException.class);
    open.close();
    assertThatThrownBy(engine::begin).isInstanceOf(KvException.class);
    engine = KvEngines.open("rocksdb:" + dir.resolve("db"));
  }

  @Test
  void aSecondProcessCannotOpenTheSameDirectory() {
    assertThatThrownBy(() -> KvEngines.open("rocksdb:" + dir.resolve("db")))
        .isInstanceOf(KvException.class)
        .hasMessageContaining("cannot open RocksDB");
  }

  /**
   * A child JVM commits numbered transactions and reports each one after commit returns; it is
   * killed with SIGKILL mid-stream. Every commit it reported must be there after reopening.
   */
  @Test
  void aKilledProcessLosesNoCommittedTransaction() throws Exception {
    engine.close();
    Path crashDir = dir.resolve("crash");
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command =
        List.of(
            java,
            "-Xmx96m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            RocksDbCommitter.class.getName(),
            crashDir.toString());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    long lastReported = -1;
    List<String> output = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
        if (line.startsWith("committed ")) {
          lastReported = Long.parseLong(line.substring("committed ".length()));
          if (lastReported >= 300) {
            break;
          }
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(lastReported).as("child output: %s", output).isGreaterThanOrEqualTo(300);
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    engine = KvEngines.open("rocksdb:" + crashDir);
    long reported = lastReported;
    engine.run(
        tx -> {
          byte[] last = tx.get(RocksDbCommitter.LAST);
          assertThat(last).isNotNull();
          long lastCommitted = Keys.readU64(last, 0);
          assertThat(lastCommitted).isGreaterThanOrEqualTo(reported);
          RangeResult all =
              tx.getRange(RocksDbCommitter.ITEM, Keys.prefixEnd(RocksDbCommitter.ITEM), 1_000_000);
          assertThat(all.entries()).hasSize((int) lastCommitted);
          return null;
        });
  }
}
