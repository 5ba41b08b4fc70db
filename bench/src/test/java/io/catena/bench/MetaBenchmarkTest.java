package io.catena.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the meta benchmark runnable: a tiny run of every phase, both ways. */
class MetaBenchmarkTest {

  @Test
  void everyPhaseRunsAndCountsItsOperations() throws Exception {
    for (boolean grpc : new boolean[] {true, false}) {
      List<MetaBenchmark.Result> results =
          MetaBenchmark.run(new MetaBenchmark.Options(2, 30, 40, grpc, false, null));
      assertThat(results)
          .extracting(MetaBenchmark.Result::phase)
          .containsExactly(
              "create",
              "close (sets length)",
              "stat",
              "readdir (100/page)",
              "kv blind write (ceiling)",
              "kv point read (ceiling)");
      assertThat(results.getFirst().operations()).isEqualTo(60);
      assertThat(results).allSatisfy(r -> assertThat(r.operations()).isPositive());
    }
  }
}
