package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.meta.KvIndexStore.CommitItem;
import io.catena.meta.KvIndexStore.Outcome;
import io.catena.meta.KvIndexStore.Policy;
import io.catena.meta.KvIndexStore.ReserveItem;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the KV index under random workloads of prefix chains, reads and deletes with a
 * small capacity (so eviction runs often): a live key's chain is live up to its head (tails go
 * before heads), capacity holds, and the counters agree with what is there.
 */
class KvIndexPropertiesTest {

  static final long V = 4096;

  /** An operation: put chain c's next block, read chain c's first n blocks, or delete a block. */
  record Op(int kind, int chain, int n) {}

  @Provide
  Arbitrary<List<Op>> workloads() {
    Arbitrary<Op> op =
        net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 6))
            .as(Op::new);
    return op.list().ofMinSize(10).ofMaxSize(80);
  }

  static byte[] key(int chain, int block) {
    return ("c" + chain + "/" + block).getBytes(StandardCharsets.UTF_8);
  }

  @Property
  void liveKeysKeepTheirWholePrefixAndCapacityHolds(@ForAll("workloads") List<Op> ops) {
    KvIndexStoreTest.Clock clock = new KvIndexStoreTest.Clock();
    try (var fx = new KvIndexStoreTest.MetaFixtureWithClock(clock)) {
      KvIndexStore kv = fx.node.kvIndex();
      Principal who = fx.tenant("t", Quota.UNLIMITED);
      kv.setPolicy(who, new Policy(10 * V, 90, 70, 0));
      long session = kv.openSession(who, 0).id();
      Map<Integer, Integer> length = new HashMap<>();
      for (Op op : ops) {
        clock.advance(1);
        int chain = op.chain();
        int have = kv.exists(who, chainKeys(chain, length.getOrDefault(chain, 0)));
        switch (op.kind()) {
          case 0, 1, 2, 3, 4, 5 -> {
            int block = have; // extend the live prefix
            byte[] prev = block == 0 ? new byte[0] : key(chain, block - 1);
            var placed =
                kv.reserve(
                    who, session, List.of(new ReserveItem(key(chain, block), V, prev, 0)), true);
            if (placed.results().getFirst().outcome() == Outcome.OK) {
              kv.commit(who, session, List.of(new CommitItem(key(chain, block), 0)));
              length.put(chain, Math.max(length.getOrDefault(chain, 0), block + 1));
            }
          }
          case 6, 7, 8 -> kv.lookup(who, chainKeys(chain, Math.min(op.n(), have)), true);
          default -> {
            if (have > 0) {
              kv.delete(who, List.of(key(chain, have - 1)));
            }
          }
        }
        KvIndexStore.Stats stats = kv.stats(who);
        assertThat(stats.slotBytes()).isLessThanOrEqualTo(10 * V);
        long live = 0;
        for (var e : length.entrySet()) {
          List<byte[]> keys = chainKeys(e.getKey(), e.getValue());
          int prefix = kv.exists(who, keys);
          for (int i = 0; i < keys.size(); i++) {
            boolean present =
                kv.lookup(who, List.of(keys.get(i)), false).results().getFirst().outcome()
                    == Outcome.OK;
            if (present) {
              live++;
              // a block that is there has every block before it: no orphaned tails
              assertThat(i).as("block %d of chain %d", i, e.getKey()).isLessThan(prefix);
            }
          }
        }
        assertThat(stats.entries()).isEqualTo(live);
        assertThat(stats.slotBytes()).isEqualTo(live * V);
      }
    }
  }

  static List<byte[]> chainKeys(int chain, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> key(chain, i)).toList();
  }
}
