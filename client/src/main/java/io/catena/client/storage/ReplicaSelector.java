package io.catena.client.storage;

import io.catena.client.routing.Replica;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Chooses the replica a read goes to: power of two choices on outstanding requests (two SERVING
 * replicas drawn at random, the one with fewer reads in flight from this client wins), skipping
 * replicas that failed a moment ago while another one is available. Two random choices keep load
 * even without the herding a global "least loaded" rule causes when many clients act on the same
 * stale view.
 */
public final class ReplicaSelector {

  /** How long a replica that failed (unreachable, not serving) is avoided. */
  static final long SUSPECT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Map<Long, AtomicInteger> outstanding = new ConcurrentHashMap<>();
  private final Map<Long, Long> suspectUntil = new ConcurrentHashMap<>();

  /** The replica for one read, or null if {@code readable} is empty. */
  public Replica pick(List<Replica> readable) {
    if (readable.isEmpty()) {
      return null;
    }
    List<Replica> healthy = readable;
    if (!suspectUntil.isEmpty()) {
      long now = System.nanoTime();
      healthy = new ArrayList<>(readable.size());
      for (Replica r : readable) {
        Long until = suspectUntil.get(r.targetId());
        if (until == null || until - now < 0) {
          healthy.add(r);
        }
      }
      if (healthy.isEmpty()) {
        healthy = readable;
      }
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int n = healthy.size();
    int i = random.nextInt(n);
    int j = n == 1 ? i : (i + 1 + random.nextInt(n - 1)) % n;
    return choose(healthy, this::load, i, j);
  }

  /** Of candidates {@code i} and {@code j}, the one with the lower load; {@code i} on a tie. */
  static Replica choose(List<Replica> candidates, ToIntFunction<Replica> load, int i, int j) {
    Replica a = candidates.get(i);
    Replica b = candidates.get(j);
    return load.applyAsInt(b) < load.applyAsInt(a) ? b : a;
  }

  /** Whether a replica other than {@code failed} could take a read right now. */
  public boolean hasAlternative(List<Replica> readable, long failed) {
    long now = System.nanoTime();
    for (Replica r : readable) {
      if (r.targetId() == failed) {
        continue;
      }
      Long until = suspectUntil.get(r.targetId());
      if (until == null || until - now < 0) {
        return true;
      }
    }
    return false;
  }

  int load(Replica r) {
    AtomicInteger n = outstanding.get(r.targetId());
    return n == null ? 0 : n.get();
  }

  public void started(long targetId) {
    outstanding.computeIfAbsent(targetId, t -> new AtomicInteger()).incrementAndGet();
  }

  public void finished(long targetId) {
    AtomicInteger n = outstanding.get(targetId);
    if (n != null) {
      n.decrementAndGet();
    }
  }

  /** Avoid {@code targetId} for a while: it failed a request. */
  public void suspect(long targetId) {
    suspectUntil.put(targetId, System.nanoTime() + SUSPECT_NANOS);
  }

  /** A success clears the suspicion at once. */
  public void healthy(long targetId) {
    if (!suspectUntil.isEmpty()) {
      suspectUntil.remove(targetId);
    }
  }
}
