package io.catena.kv;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A transactional, ordered key-value store with FoundationDB's semantics: serializable
 * transactions, range reads, snapshot reads, conflict detection at commit and a retry loop.
 * Backends: {@code memory}, {@code rocksdb}, {@code fdb}; open one by URI with {@link
 * KvEngines#open}.
 */
public interface KvEngine extends AutoCloseable {

  /** Starts a transaction; the caller commits and closes it. Most code uses {@link #run}. */
  KvTransaction begin();

  /** The URI this engine was opened with, e.g. {@code rocksdb:/var/lib/catena/meta}. */
  String uri();

  @Override
  void close();

  /** Runs {@code work} in a transaction and commits, retrying retryable failures by default. */
  default <T> T run(KvWork<T> work) {
    return run(work, RetryPolicy.DEFAULT);
  }

  /**
   * Runs {@code work} in a new transaction and commits it; a retryable failure (a conflict, in
   * {@code work} or at commit) starts over in a fresh transaction after a back-off. Anything else
   * thrown by {@code work} aborts and propagates unchanged.
   */
  default <T> T run(KvWork<T> work, RetryPolicy policy) {
    return run(work, policy, false);
  }

  /** {@link #run(KvWork)} committing with {@link KvTransaction#commitLazily()}: for soft state. */
  default <T> T runLazily(KvWork<T> work) {
    return run(work, RetryPolicy.DEFAULT, true);
  }

  private <T> T run(KvWork<T> work, RetryPolicy policy, boolean lazily) {
    for (int attempt = 1; ; attempt++) {
      try (KvTransaction tx = begin()) {
        T result = work.apply(tx);
        if (lazily) {
          tx.commitLazily();
        } else {
          tx.commit();
        }
        return result;
      } catch (KvException e) {
        if (!e.retryable()) {
          throw e;
        }
        if (attempt >= policy.maxAttempts()) {
          throw new KvException(
              "gave up after " + attempt + " attempts: " + e.getMessage(), true, e);
        }
        long bound = policy.backoffBoundNanos(attempt);
        if (bound > 0) {
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(bound + 1));
        }
      }
    }
  }
}
