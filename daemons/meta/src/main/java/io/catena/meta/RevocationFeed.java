package io.catena.meta;

import io.catena.kv.KvEngine;
import io.catena.protocol.meta.RevocationEvent;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the {@link RevocationLog} and pushes it to subscribers (storage daemons, over {@code
 * TenantService.WatchRevocations}). It polls the log every {@code poll} (rows written by other meta
 * servers over the same engine) and at once when this server revoked something ({@link #wake()});
 * every subscriber gets each new row, and a heartbeat at least every second so it can tell a live
 * stream from a dead one. Local listeners (this server's token cache) get every token id too.
 */
public final class RevocationFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);

  /** How often the log is read when nothing woke the feed. */
  public static final Duration POLL = Duration.ofMillis(500);

  /** The longest gap between two messages on a stream. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(1);

  private static final int CATCH_UP_LIMIT = 100_000;

  private final KvEngine kv;
  private final ScheduledExecutorService timer;
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  private long polled = -1;

  private static final class Subscriber {
    final ServerCallStreamObserver<RevocationEvent> out;
    long sent;
    long lastSendNanos;

    Subscriber(ServerCallStreamObserver<RevocationEvent> out) {
      this.out = out;
    }
  }

  public RevocationFeed(KvEngine kv, Duration poll) {
    this.kv = kv;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "revocation-feed");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::pollQuietly, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads the log now (this server just wrote to it). */
  public void wake() {
    timer.execute(this::pollQuietly);
  }

  /** Calls {@code listener} with every token id that appears in the log from now on. */
  public void addListener(LongConsumer listener) {
    listeners.add(listener);
  }

  /** Starts a stream: the rows after {@code afterSeq} (or none, {@code fromNow}), then new ones. */
  void subscribe(long afterSeq, boolean fromNow, ServerCallStreamObserver<RevocationEvent> out) {
    Subscriber sub = new Subscriber(out);
    out.setOnCancelHandler(() -> remove(sub));
    try {
      start(sub, afterSeq, fromNow);
    } catch (RuntimeException e) {
      log.warn("could not start a revocation stream: {}", e.toString());
      out.onError(
          io.grpc.Status.UNAVAILABLE
              .withDescription("revocation log unreadable: " + e.getMessage())
              .asRuntimeException());
    }
  }

  private void start(Subscriber sub, long afterSeq, boolean fromNow) {
    synchronized (this) {
      long head = kv.run(tx -> RevocationLog.head(tx.snapshot()));
      RevocationEvent.Builder first = RevocationEvent.newBuilder().setSeq(head);
      if (!fromNow && afterSeq < head) {
        List<RevocationLog.Entry> missed =
            kv.run(tx -> RevocationLog.after(tx.snapshot(), afterSeq, CATCH_UP_LIMIT));
        if (missed.size() >= CATCH_UP_LIMIT || missed.isEmpty() || missed.getLast().seq() < head) {
          first.setReset(true);
        } else {
          missed.forEach(e -> first.addTokenIds(e.tokenId()));
        }
      } else if (!fromNow && afterSeq > head) {
        // the subscriber saw a log this engine does not hold (restored or replaced): start over
        first.setReset(true);
      }
      if (send(sub, first.build())) {
        sub.sent = head;
        subscribers.add(sub);
      }
    }
  }

  private synchronized void remove(Subscriber sub) {
    subscribers.remove(sub);
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.warn("reading the revocation log failed: {}", e.toString());
    }
  }

  private synchronized void poll() {
    if (polled < 0) {
      polled = kv.run(tx -> RevocationLog.head(tx.snapshot()));
    }
    long from = polled;
    List<RevocationLog.Entry> fresh =
        kv.run(tx -> RevocationLog.after(tx.snapshot(), from, CATCH_UP_LIMIT));
    if (!fresh.isEmpty()) {
      polled = fresh.getLast().seq();
      for (RevocationLog.Entry e : fresh) {
        for (LongConsumer l : listeners) {
          l.accept(e.tokenId());
        }
      }
    }
    long now = System.nanoTime();
    for (Subscriber sub : List.copyOf(subscribers)) {
      RevocationEvent.Builder event = RevocationEvent.newBuilder();
      for (RevocationLog.Entry e : fresh) {
        if (e.seq() > sub.sent) {
          event.addTokenIds(e.tokenId());
        }
      }
      long seq = Math.max(sub.sent, polled);
      if (event.getTokenIdsCount() == 0 && now - sub.lastSendNanos < HEARTBEAT.toNanos() / 2) {
        continue;
      }
      if (send(sub, event.setSeq(seq).build())) {
        sub.sent = seq;
      } else {
        subscribers.remove(sub);
      }
    }
  }

  private static boolean send(Subscriber sub, RevocationEvent event) {
    try {
      if (sub.out.isCancelled()) {
        return false;
      }
      sub.out.onNext(event);
      sub.lastSendNanos = System.nanoTime();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (this) {
      for (Subscriber sub : subscribers) {
        try {
          sub.out.onCompleted();
        } catch (RuntimeException ignored) {
          // the stream is gone already
        }
      }
      subscribers.clear();
    }
  }
}
