package io.catena.kv;

/** The body of a transaction run by {@link KvEngine#run}; it may run several times. */
@FunctionalInterface
public interface KvWork<T> {
  T apply(KvTransaction tx);
}
