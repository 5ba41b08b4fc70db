package io.catena.storage.auth;

import io.catena.protocol.meta.RevocationEvent;
import io.catena.protocol.meta.TenantServiceGrpc;
import io.catena.protocol.meta.WatchRevocationsRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows meta's revocation stream ({@code TenantService.WatchRevocations}) and drops the cached
 * grants of every token it names, so a revoked or rotated token stops working on this daemon as
 * soon as the event arrives instead of when its cached grant runs out. The stream is live while a
 * message (event or the once-a-second heartbeat) arrived within {@code liveWindow}; when it is not,
 * {@link CachedTokenGrants} re-verifies grants older than its unpushed TTL. A broken stream is
 * reopened with back-off from the last sequence seen, so nothing revoked meanwhile is missed (meta
 * answers {@code reset} when it cannot replay, and every grant is dropped).
 */
public final class RevocationWatcher implements CachedTokenGrants.Push, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RevocationWatcher.class);

  /** A stream that sent nothing for this long is taken for dead. */
  public static final Duration LIVE_WINDOW = Duration.ofSeconds(3);

  private final TenantServiceGrpc.TenantServiceStub stub;
  private final CachedTokenGrants grants;
  private final long liveWindowNanos;
  private final ScheduledExecutorService reconnects;
  private final AtomicLong revoked = new AtomicLong();
  private volatile long seq = -1;
  private volatile long lastHeardNanos;
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile ClientCallStreamObserver<WatchRevocationsRequest> call;
  private long backoffMillis = 100;

  public RevocationWatcher(ManagedChannel meta, CachedTokenGrants grants, Duration liveWindow) {
    this.stub = TenantServiceGrpc.newStub(meta);
    this.grants = grants;
    this.liveWindowNanos = liveWindow.toNanos();
    this.reconnects =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "revocation-watch");
              t.setDaemon(true);
              return t;
            });
  }

  /** Opens the stream and attaches it to the grants. */
  public RevocationWatcher start() {
    grants.usePush(this);
    reconnects.execute(this::open);
    return this;
  }

  @Override
  public boolean live() {
    return connected && System.nanoTime() - lastHeardNanos < liveWindowNanos;
  }

  /** The last revocation sequence applied here (-1 before the first message). */
  public long appliedSeq() {
    return seq;
  }

  /** How many token revocations this daemon applied (tests and metrics). */
  public long revocationsApplied() {
    return revoked.get();
  }

  private void open() {
    if (closed) {
      return;
    }
    long after = seq;
    WatchRevocationsRequest request =
        WatchRevocationsRequest.newBuilder()
            .setAfterSeq(Math.max(after, 0))
            .setFromNow(after < 0)
            .build();
    stub.watchRevocations(
        request,
        new ClientResponseObserver<WatchRevocationsRequest, RevocationEvent>() {
          private boolean first = true;

          @Override
          public void beforeStart(ClientCallStreamObserver<WatchRevocationsRequest> stream) {
            call = stream;
          }

          @Override
          public void onNext(RevocationEvent event) {
            if (first && after < 0) {
              // grants verified before the stream existed may predate a revocation it won't replay
              grants.clear();
            }
            first = false;
            if (event.getReset()) {
              log.warn(
                  "revocation stream reset at {}: dropping every cached grant", event.getSeq());
              grants.clear();
            } else if (event.getTokenIdsCount() > 0) {
              grants.revokeTokens(event.getTokenIdsList());
              revoked.addAndGet(event.getTokenIdsCount());
              log.info("tokens {} revoked or rotated: grants dropped", event.getTokenIdsList());
            }
            seq = event.getSeq();
            lastHeardNanos = System.nanoTime();
            connected = true;
            synchronized (RevocationWatcher.this) {
              backoffMillis = 100;
            }
          }

          @Override
          public void onError(Throwable t) {
            ended("failed: " + t);
          }

          @Override
          public void onCompleted() {
            ended("ended by meta");
          }
        });
  }

  private void ended(String why) {
    connected = false;
    if (closed) {
      return;
    }
    long delay;
    synchronized (this) {
      delay = backoffMillis;
      backoffMillis = Math.min(backoffMillis * 2, 5_000);
    }
    log.warn("revocation stream from meta {}; reopening in {} ms", why, delay);
    try {
      reconnects.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  @Override
  public void close() {
    closed = true;
    connected = false;
    ClientCallStreamObserver<WatchRevocationsRequest> c = call;
    if (c != null) {
      c.cancel("storage daemon closing", null);
    }
    reconnects.shutdownNow();
  }
}
