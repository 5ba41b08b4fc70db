package io.catena.storage.chain;

import io.catena.storage.RequestAuthorizer;
import io.catena.storage.StorageErrorCode;
import io.catena.storage.StorageException;
import io.catena.storage.chunk.ChunkEngine;
import io.catena.storage.chunk.ChunkId;
import io.catena.storage.chunk.ChunkMeta;
import io.catena.storage.chunk.ChunkVersion;
import io.catena.storage.chunk.PinnedChunk;
import io.catena.storage.chunk.ReadResult;
import io.micrometer.core.instrument.Gauge;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRAQ replication of the targets one daemon serves: the write path (head assigns the version,
 * stages it, forwards it down the chain; each replica commits when its successor returned, the tail
 * first), reads of committed data, removal, and both sides of sync. See docs/storage.md.
 */
public final class ChainReplicator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChainReplicator.class);

  private final Map<Long, StorageTarget> targets = new ConcurrentHashMap<>();
  private final RoutingSource routing;
  private final ChainPeers peers;
  private final TargetStateReporter reporter;
  private final RequestAuthorizer authorizer;
  private final StorageMetrics metrics;
  private final Duration forwardTimeout;
  private final Map<Long, Long> activeSyncs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService syncPool = Executors.newCachedThreadPool(named("storage-sync"));
  private volatile FaultInjector faults = FaultInjector.NONE;
  private volatile boolean closed;

  public ChainReplicator(
      RoutingSource routing,
      ChainPeers peers,
      TargetStateReporter reporter,
      RequestAuthorizer authorizer,
      StorageMetrics metrics,
      Duration forwardTimeout) {
    this.routing = routing;
    this.peers = peers;
    this.reporter = reporter;
    this.authorizer = authorizer;
    this.metrics = metrics;
    this.forwardTimeout = forwardTimeout;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(named("storage-sync-check"));
    routing.subscribe(this::onChainView);
    scheduler.scheduleWithFixedDelay(this::startDueSyncs, 500, 500, TimeUnit.MILLISECONDS);
  }

  /** Per-target I/O counters (TargetStats reports them). */
  public StorageMetrics metrics() {
    return metrics;
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return Thread.ofPlatform().name(name + "-", 0).daemon(true).factory();
  }

  public void setFaultInjector(FaultInjector injector) {
    this.faults = injector;
  }

  // ---------------------------------------------------------------- targets

  /** Starts serving {@code target}; its local state is reported and follows routing from now. */
  public void addTarget(StorageTarget target) {
    if (targets.putIfAbsent(target.targetId(), target) != null) {
      throw new StorageException(
          StorageErrorCode.INVALID_ARGUMENT, "target " + target.targetId() + " already exists");
    }
    for (StorageTarget other : targets.values()) {
      if (other != target && other.chainId() == target.chainId()) {
        targets.remove(target.targetId());
        throw new StorageException(
            StorageErrorCode.INVALID_ARGUMENT,
            "this daemon already serves target "
                + other.targetId()
                + " of chain "
                + target.chainId());
      }
    }
    String t = Long.toString(target.targetId());
    Gauge.builder("catena.storage.capacity.bytes", target, x -> x.engine().space().capacityBytes())
        .tag("target", t)
        .register(metrics.registry());
    Gauge.builder("catena.storage.used.bytes", target, x -> x.engine().space().usedBytes())
        .tag("target", t)
        .register(metrics.registry());
    reporter.localStateChanged(
        target.targetId(), target.chainId(), target.localState(), versionOf(target.chainId()));
    routing.chain(target.chainId()).ifPresent(this::onChainView);
  }

  public Optional<StorageTarget> target(long targetId) {
    return Optional.ofNullable(targets.get(targetId));
  }

  public Collection<StorageTarget> targets() {
    return List.copyOf(targets.values());
  }

  /** Takes a target out of service until the daemon restarts (admin offline, disk failure). */
  public void offline(long targetId, String why) {
    StorageTarget t = requireTarget(targetId);
    t.disable();
    setLocal(t, LocalTargetState.OFFLINE, versionOf(t.chainId()));
    log.warn("target {} is OFFLINE: {}", targetId, why);
  }

  /** Stops serving an OFFLINE target and closes it; the caller deletes its directory. */
  public StorageTarget removeTarget(long targetId) {
    StorageTarget t = requireTarget(targetId);
    if (t.localState() != LocalTargetState.OFFLINE) {
      throw new StorageException(
          StorageErrorCode.INVALID_ARGUMENT,
          "target " + targetId + " is " + t.localState() + ": take it offline first");
    }
    targets.remove(targetId);
    t.close();
    return t;
  }

  // ---------------------------------------------------------------- client I/O

  public WriteResult write(WriteCommand w) {
    long start = System.nanoTime();
    StorageTarget t = targetInChain(w.chainId());
    String refused =
        authorizer.refusal(w.token(), w.chainId(), w.chunk(), RequestAuthorizer.Access.WRITE);
    if (refused != null) {
      throw denied(refused);
    }
    ChainView view = view(w.chainId());
    requireVersion(view, w.chainVersion());
    requireHead(t, view);
    if (w.dataCrc32c() != 0 && ChunkEngine.crc(w.data()) != w.dataCrc32c()) {
      throw new StorageException(
          StorageErrorCode.CHECKSUM_MISMATCH,
          "write to chunk " + w.chunk() + ": data does not match its CRC32C");
    }
    ReentrantLock lock = t.lockFor(w.chunk());
    lock.lock();
    try {
      WriteResult cached = t.recentResult(w.requestId(), w.chunk());
      if (cached != null) {
        return cached;
      }
      ChunkEngine engine = t.engine();
      ChunkMeta meta = engine.meta(w.chunk()).orElse(null);
      if (meta != null && meta.committed() != null && sameRequest(meta.committed(), w)) {
        return result(meta.committed());
      }
      if (meta != null && meta.pending() != null) {
        ChunkVersion pending = meta.pending();
        completePending(t, w.chunk(), pending);
        if (sameRequest(pending, w)) {
          return remember(t, w, result(pending));
        }
        meta = engine.meta(w.chunk()).orElse(null);
      }
      long version = (meta == null ? 0 : meta.commitVersion()) + 1;
      faults.at(FaultPoint.BEFORE_STAGE, t.targetId(), w.chunk());
      ChunkVersion staged =
          guardIo(
              t,
              () ->
                  engine.stage(
                      w.chunk(),
                      version,
                      view.version(),
                      w.offset(),
                      w.data(),
                      false,
                      w.requestId()));
      faults.at(FaultPoint.AFTER_STAGE, t.targetId(), w.chunk());
      forward(
          t,
          Set.of(),
          new UpdateCommand(
              w.chainId(),
              view.version(),
              0,
              w.chunk(),
              version,
              w.offset(),
              w.data(),
              false,
              false,
              false,
              w.requestId(),
              staged.crc32c()));
      faults.at(FaultPoint.AFTER_FORWARD, t.targetId(), w.chunk());
      ChunkMeta committed = guardIo(t, () -> engine.commit(w.chunk(), version));
      faults.at(FaultPoint.AFTER_COMMIT, t.targetId(), w.chunk());
      metrics.write(t.targetId(), w.data().remaining(), System.nanoTime() - start);
      return remember(t, w, result(committed.committed()));
    } finally {
      lock.unlock();
    }
  }

  private static boolean sameRequest(ChunkVersion v, WriteCommand w) {
    return !w.requestId().isEmpty() && w.requestId().equals(v.requestId());
  }

  /** Finishes a version a failed forward left pending: re-sent whole, then committed. */
  private void completePending(StorageTarget t, ChunkId chunk, ChunkVersion pending) {
    ByteBuffer content =
        t.engine()
            .readFull(chunk, true)
            .orElseThrow(() -> new StorageException(StorageErrorCode.INTERNAL, "pending vanished"));
    ChainView view = view(t.chainId());
    forward(
        t,
        Set.of(),
        new UpdateCommand(
            t.chainId(),
            view.version(),
            0,
            chunk,
            pending.version(),
            0,
            content,
            true,
            false,
            false,
            pending.requestId(),
            pending.crc32c()));
    guardIo(t, () -> t.engine().commit(chunk, pending.version()));
  }

  public ReadResult read(ReadCommand r) {
    return read(r, ByteBuffer::allocate);
  }

  /** As {@link #read(ReadCommand)}, into a buffer from {@code allocator} (given the size). */
  public ReadResult read(ReadCommand r, java.util.function.IntFunction<ByteBuffer> allocator) {
    long start = System.nanoTime();
    StorageTarget t = readableTarget(r);
    ReadResult result =
        guardIo(t, () -> t.engine().read(r.chunk(), r.offset(), r.length(), allocator));
    metrics.read(t.targetId(), result.data().remaining(), System.nanoTime() - start);
    return result;
  }

  /**
   * A read for the data channel: the same checks as {@link #read(ReadCommand)}, then the committed
   * version's slot is pinned so that a concurrent commit cannot reuse it. The caller writes the
   * bytes to its socket ({@link PinnedChunk#writeTo}), closes the pin, then calls {@link
   * #readServed}.
   */
  public PinnedChunk pinForRead(ReadCommand r) {
    StorageTarget t = readableTarget(r);
    return guardIo(t, () -> t.engine().pinCommitted(r.chunk(), r.offset(), r.length()));
  }

  /** Counts a read served by {@link #pinForRead} in the target's metrics. */
  public void readServed(int chainId, long bytes, long nanos) {
    StorageTarget t =
        targets.values().stream().filter(x -> x.chainId() == chainId).findFirst().orElse(null);
    if (t != null) {
      metrics.read(t.targetId(), bytes, nanos);
    }
  }

  private StorageTarget readableTarget(ReadCommand r) {
    StorageTarget t = targetInChain(r.chainId());
    String refused =
        authorizer.refusal(r.token(), r.chainId(), r.chunk(), RequestAuthorizer.Access.READ);
    if (refused != null) {
      throw denied(refused);
    }
    ChainView view = view(r.chainId());
    requireVersion(view, r.chainVersion());
    if (view.stateOf(t.targetId()) != PublicTargetState.SERVING
        || t.localState() != LocalTargetState.UPTODATE) {
      throw new StorageException(
          StorageErrorCode.NOT_SERVING,
          "target "
              + t.targetId()
              + " of chain "
              + r.chainId()
              + " is "
              + view.stateOf(t.targetId())
              + "/"
              + t.localState()
              + ": read from a SERVING replica");
    }
    return t;
  }

  /** Removes chunks through the chain (tail first); returns how many existed here. */
  public int remove(int chainId, long chainVersion, List<ChunkId> chunks, String token) {
    StorageTarget t = targetInChain(chainId);
    for (ChunkId chunk : chunks) {
      String refused = authorizer.refusal(token, chainId, chunk, RequestAuthorizer.Access.WRITE);
      if (refused != null) {
        throw denied(refused);
      }
    }
    ChainView view = view(chainId);
    requireVersion(view, chainVersion);
    requireHead(t, view);
    int removed = 0;
    for (ChunkId chunk : chunks) {
      ReentrantLock lock = t.lockFor(chunk);
      lock.lock();
      try {
        forward(
            t,
            Set.of(),
            new UpdateCommand(
                chainId, view.version(), 0, chunk, 0, 0, null, false, true, false, "", 0));
        if (guardIo(t, () -> t.engine().remove(chunk))) {
          removed++;
        }
      } finally {
        lock.unlock();
      }
    }
    return removed;
  }

  // ---------------------------------------------------------------- chain-internal

  /** An update forwarded by the predecessor (or a sync install). */
  public UpdateOutcome update(UpdateCommand c) {
    long start = System.nanoTime();
    StorageTarget t = requireTarget(c.targetId());
    if (t.chainId() != c.chainId()) {
      throw new StorageException(
          StorageErrorCode.INVALID_ARGUMENT,
          "target " + t.targetId() + " is not in chain " + c.chainId());
    }
    ChainView view = view(c.chainId());
    requireVersion(view, c.chainVersion());
    PublicTargetState mine = view.stateOf(t.targetId());
    Set<Long> upstream = view.upstreamOf(t.targetId());
    if (!mine.inWritePath() || t.localState() == LocalTargetState.OFFLINE) {
      throw new StorageException(
          StorageErrorCode.NOT_SERVING,
          "target " + t.targetId() + " is " + mine + "/" + t.localState() + ": takes no updates");
    }
    ChunkEngine engine = t.engine();
    ReentrantLock lock = t.lockFor(c.chunk());
    lock.lock();
    try {
      if (c.syncInstall()) {
        return install(t, c);
      }
      if (c.remove()) {
        forward(t, upstream, c);
        guardIo(t, () -> engine.remove(c.chunk()));
        return new UpdateOutcome(0, 0);
      }
      ChunkMeta meta = engine.meta(c.chunk()).orElse(null);
      long commit = meta == null ? 0 : meta.commitVersion();
      if (c.updateVersion() <= commit) {
        return new UpdateOutcome(commit, meta.committed().crc32c());
      }
      if (!c.fullChunk() && c.updateVersion() != commit + 1) {
        throw new StorageException(
            StorageErrorCode.MISSING_UPDATE,
            "target "
                + t.targetId()
                + " holds version "
                + commit
                + " of chunk "
                + c.chunk()
                + ", got "
                + c.updateVersion()
                + ": send the whole chunk");
      }
      faults.at(FaultPoint.BEFORE_STAGE, t.targetId(), c.chunk());
      ChunkVersion staged =
          guardIo(
              t,
              () ->
                  engine.stage(
                      c.chunk(),
                      c.updateVersion(),
                      c.chainVersion(),
                      c.offset(),
                      c.data(),
                      c.fullChunk(),
                      c.requestId()));
      if (staged.crc32c() != c.chunkCrc32c()) {
        engine.abortPending(c.chunk());
        throw new StorageException(
            StorageErrorCode.CHECKSUM_MISMATCH,
            "version "
                + c.updateVersion()
                + " of chunk "
                + c.chunk()
                + " differs from the predecessor's on target "
                + t.targetId());
      }
      faults.at(FaultPoint.AFTER_STAGE, t.targetId(), c.chunk());
      forward(t, upstream, c);
      faults.at(FaultPoint.AFTER_FORWARD, t.targetId(), c.chunk());
      ChunkMeta committed = guardIo(t, () -> engine.commit(c.chunk(), c.updateVersion()));
      faults.at(FaultPoint.AFTER_COMMIT, t.targetId(), c.chunk());
      metrics.write(
          t.targetId(), c.data() == null ? 0 : c.data().remaining(), System.nanoTime() - start);
      return new UpdateOutcome(committed.commitVersion(), committed.committed().crc32c());
    } finally {
      lock.unlock();
    }
  }

  private UpdateOutcome install(StorageTarget t, UpdateCommand c) {
    ChunkEngine engine = t.engine();
    if (c.remove()) {
      guardIo(t, () -> engine.remove(c.chunk()));
      return new UpdateOutcome(0, 0);
    }
    ChunkMeta meta = engine.meta(c.chunk()).orElse(null);
    if (meta != null
        && meta.pending() == null
        && meta.commitVersion() == c.updateVersion()
        && meta.committed().crc32c() == c.chunkCrc32c()) {
      return new UpdateOutcome(meta.commitVersion(), meta.committed().crc32c());
    }
    ChunkVersion staged =
        guardIo(
            t,
            () ->
                engine.stage(
                    c.chunk(),
                    c.updateVersion(),
                    c.chainVersion(),
                    0,
                    c.data(),
                    true,
                    c.requestId()));
    if (staged.crc32c() != c.chunkCrc32c()) {
      engine.abortPending(c.chunk());
      throw new StorageException(
          StorageErrorCode.CHECKSUM_MISMATCH, "sync data of chunk " + c.chunk() + " is corrupt");
    }
    ChunkMeta committed = guardIo(t, () -> engine.commit(c.chunk(), c.updateVersion()));
    return new UpdateOutcome(committed.commitVersion(), committed.committed().crc32c());
  }

  /**
   * Sends {@code cmd} to the current successor and returns when it committed. Retries retryable
   * failures with back-off, re-reading routing each time (a new successor after a chain change),
   * until {@code forwardTimeout}. A SYNCING successor, or one missing the previous version, gets
   * the whole pending chunk instead of the range.
   *
   * <p>{@code upstream} holds the replicas that were before this target when it took the update
   * (none for the head); the update reached it through them. Its successor in the current view gets
   * it next, but a replica now before this target that was not before it then (a head taken out and
   * let back in rejoins at the tail, behind replicas the update has not reached yet) may never get
   * it: the update fails, uncommitted, and the sender or the client retries down the chain as it is
   * now. Having no successor proves nothing unless every replica upstream of here was upstream when
   * the update was taken.
   */
  private void forward(StorageTarget t, Set<Long> upstream, UpdateCommand cmd) {
    long deadline = System.nanoTime() + forwardTimeout.toNanos();
    long backoffMs = 10;
    boolean sendFull = false;
    ByteBuffer full = null;
    while (true) {
      ChainView view = view(cmd.chainId());
      PublicTargetState now = view.stateOf(t.targetId());
      if (!now.inWritePath()) {
        throw new StorageException(
            StorageErrorCode.NOT_SERVING,
            "target " + t.targetId() + " left the write path of chain " + cmd.chainId());
      }
      Set<Long> upstreamNow = view.upstreamOf(t.targetId());
      if (!upstream.containsAll(upstreamNow)) {
        throw new StorageException(
            StorageErrorCode.NOT_SERVING,
            "target "
                + t.targetId()
                + " moved within chain "
                + cmd.chainId()
                + " while forwarding (now "
                + now
                + " behind "
                + upstreamNow
                + "): retry down the chain as it is now");
      }
      Optional<ChainMember> successor = view.successorOf(t.targetId());
      if (successor.isEmpty()) {
        return;
      }
      ChainMember next = successor.get();
      UpdateCommand out = cmd.to(next.targetId(), view.version());
      if (!cmd.remove()
          && !cmd.fullChunk()
          && (sendFull || next.state() == PublicTargetState.SYNCING)) {
        if (full == null) {
          full =
              t.engine()
                  .readFull(cmd.chunk(), true)
                  .orElseThrow(
                      () -> new StorageException(StorageErrorCode.INTERNAL, "pending vanished"));
        }
        out = out.asFullChunk(full.duplicate());
      }
      try {
        UpdateOutcome outcome = peers.update(next.address(), out);
        if (!cmd.remove()
            && outcome.commitVersion() == cmd.updateVersion()
            && outcome.chunkCrc32c() != cmd.chunkCrc32c()) {
          throw new StorageException(
              StorageErrorCode.CHECKSUM_MISMATCH,
              "target "
                  + next.targetId()
                  + " committed a different version "
                  + cmd.updateVersion()
                  + " of chunk "
                  + cmd.chunk());
        }
        return;
      } catch (StorageException e) {
        if (e.code() == StorageErrorCode.MISSING_UPDATE && !sendFull) {
          sendFull = true;
          continue;
        }
        if (!e.retryable() || System.nanoTime() - deadline > 0 || closed) {
          throw e;
        }
        log.debug(
            "forward of {} to target {} failed, retrying: {}", cmd.chunk(), next, e.getMessage());
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 500);
      }
    }
  }

  // ---------------------------------------------------------------- sync, successor side

  public void syncStart(int chainId, long chainVersion, long targetId) {
    StorageTarget t = syncingTarget(chainId, chainVersion, targetId);
    t.setReceivingSync(true);
    log.info("target {} of chain {}: sync started", targetId, chainId);
  }

  public List<ChunkSummary> syncDump(int chainId, long chainVersion, long targetId) {
    StorageTarget t = syncingTarget(chainId, chainVersion, targetId);
    return summaries(t);
  }

  public void syncDone(int chainId, long chainVersion, long targetId) {
    StorageTarget t = syncingTarget(chainId, chainVersion, targetId);
    t.setReceivingSync(false);
    t.setSyncedChainVersion(chainVersion);
    setLocal(t, LocalTargetState.UPTODATE, chainVersion);
    reporter.syncDone(targetId, chainId);
    log.info("target {} of chain {}: sync done", targetId, chainId);
  }

  private StorageTarget syncingTarget(int chainId, long chainVersion, long targetId) {
    StorageTarget t = requireTarget(targetId);
    ChainView view = view(chainId);
    requireVersion(view, chainVersion);
    if (view.stateOf(targetId) != PublicTargetState.SYNCING
        || t.localState() == LocalTargetState.OFFLINE) {
      throw new StorageException(
          StorageErrorCode.NOT_SERVING,
          "target "
              + targetId
              + " is "
              + view.stateOf(targetId)
              + "/"
              + t.localState()
              + ", not SYNCING");
    }
    return t;
  }

  public static List<ChunkSummary> summaries(StorageTarget t) {
    List<ChunkSummary> out = new ArrayList<>();
    for (ChunkMeta m : t.engine().allMetas()) {
      ChunkVersion c = m.committed();
      if (c != null) {
        out.add(new ChunkSummary(m.id(), c.version(), c.chainVersion(), c.length(), c.crc32c()));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- sync, predecessor side

  private void startDueSyncs() {
    if (closed) {
      return;
    }
    try {
      for (StorageTarget t : targets.values()) {
        Optional<ChainView> view = routing.chain(t.chainId());
        if (view.isEmpty()
            || view.get().stateOf(t.targetId()) != PublicTargetState.SERVING
            || t.localState() != LocalTargetState.UPTODATE) {
          continue;
        }
        Optional<ChainMember> next = view.get().successorOf(t.targetId());
        if (next.isPresent() && next.get().state() == PublicTargetState.SYNCING) {
          ChainMember successor = next.get();
          if (activeSyncs.putIfAbsent(successor.targetId(), view.get().version()) == null) {
            ChainView v = view.get();
            syncPool.execute(() -> runSync(t, v, successor));
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("sync check failed", e);
    }
  }

  /**
   * Streams to a SYNCING successor every chunk it lacks or holds at another version (compared by
   * version and CRC, then copied whole under the chunk lock), removes chunks only it holds, then
   * tells it the sync is done. Writes keep flowing meanwhile: they reach the successor as
   * whole-chunk updates.
   */
  private void runSync(StorageTarget t, ChainView view, ChainMember successor) {
    String address = successor.address();
    long succId = successor.targetId();
    int copied = 0;
    int removed = 0;
    try {
      peers.syncStart(address, view.chainId(), view.version(), succId);
      Map<ChunkId, ChunkSummary> remote = new java.util.HashMap<>();
      for (ChunkSummary s : peers.syncDump(address, view.chainId(), view.version(), succId)) {
        remote.put(s.chunk(), s);
      }
      ChunkEngine engine = t.engine();
      for (ChunkSummary r : remote.values()) {
        if (engine.meta(r.chunk()).map(m -> m.committed() == null).orElse(true)) {
          ReentrantLock lock = t.lockFor(r.chunk());
          lock.lock();
          try {
            if (engine.meta(r.chunk()).map(m -> m.committed() == null).orElse(true)) {
              peers.update(address, syncCommand(view, succId, r.chunk(), 0, null, 0, true));
              removed++;
            }
          } finally {
            lock.unlock();
          }
        }
      }
      for (ChunkMeta snapshot : engine.allMetas()) {
        if (closed) {
          return;
        }
        ChunkId id = snapshot.id();
        ReentrantLock lock = t.lockFor(id);
        lock.lock();
        try {
          ChunkVersion c = engine.meta(id).map(ChunkMeta::committed).orElse(null);
          ChunkSummary r = remote.get(id);
          if (c == null
              || (r != null
                  && r.commitVersion() == c.version()
                  && r.crc32c() == c.crc32c()
                  && r.length() == c.length())) {
            continue;
          }
          ByteBuffer content = engine.readFull(id, false).orElseThrow();
          peers.update(
              address, syncCommand(view, succId, id, c.version(), content, c.crc32c(), false));
          copied++;
        } finally {
          lock.unlock();
        }
      }
      peers.syncDone(address, view.chainId(), view.version(), succId);
      log.info(
          "target {} synced target {} of chain {}: {} chunks copied, {} removed",
          t.targetId(),
          succId,
          view.chainId(),
          copied,
          removed);
    } catch (RuntimeException e) {
      log.warn(
          "sync of target {} from target {} failed, will retry: {}",
          succId,
          t.targetId(),
          e.getMessage());
      sleep(1000);
    } finally {
      activeSyncs.remove(succId);
    }
  }

  private static UpdateCommand syncCommand(
      ChainView view,
      long targetId,
      ChunkId chunk,
      long version,
      ByteBuffer content,
      int crc,
      boolean remove) {
    return new UpdateCommand(
        view.chainId(),
        view.version(),
        targetId,
        chunk,
        version,
        0,
        content,
        !remove,
        remove,
        true,
        "",
        crc);
  }

  // ---------------------------------------------------------------- routing and local state

  private void onChainView(ChainView view) {
    for (StorageTarget t : targets.values()) {
      if (t.chainId() != view.chainId() || t.disabled()) {
        continue;
      }
      PublicTargetState published = view.member(t.targetId()).map(ChainMember::state).orElse(null);
      boolean syncedHere = t.syncedChainVersion() == view.version();
      setLocal(t, LocalStateRules.next(t.localState(), published, syncedHere), view.version());
    }
    if (!closed) {
      scheduler.execute(this::startDueSyncs);
    }
  }

  /**
   * Sets a target's local state, decided against {@code chainVersion} of its chain, and reports it.
   * The version is reported even when the state stays: mgmtd reads a SYNCING target's UPTODATE as a
   * finished sync only at the chain's current version.
   */
  private void setLocal(StorageTarget t, LocalTargetState next, long chainVersion) {
    LocalTargetState before;
    long beforeVersion;
    synchronized (t) {
      before = t.localState();
      beforeVersion = t.localStateChainVersion();
      t.setLocalState(next, chainVersion);
    }
    if (before != next) {
      log.info("target {} local state {} -> {}", t.targetId(), before, next);
    }
    if (before != next || beforeVersion != chainVersion) {
      reporter.localStateChanged(t.targetId(), t.chainId(), next, chainVersion);
    }
  }

  private long versionOf(int chainId) {
    return routing.chain(chainId).map(ChainView::version).orElse(0L);
  }

  // ---------------------------------------------------------------- helpers

  private <T> T guardIo(StorageTarget t, java.util.function.Supplier<T> op) {
    try {
      return op.get();
    } catch (StorageException e) {
      if (e.code() == StorageErrorCode.IO_ERROR) {
        offline(t.targetId(), e.getMessage());
      }
      throw e;
    }
  }

  private StorageTarget requireTarget(long targetId) {
    StorageTarget t = targets.get(targetId);
    if (t == null) {
      throw new StorageException(
          StorageErrorCode.NOT_SERVING, "this daemon serves no target " + targetId);
    }
    return t;
  }

  private StorageTarget targetInChain(int chainId) {
    for (StorageTarget t : targets.values()) {
      if (t.chainId() == chainId) {
        return t;
      }
    }
    throw new StorageException(
        StorageErrorCode.NOT_SERVING, "this daemon serves no target of chain " + chainId);
  }

  private ChainView view(int chainId) {
    return routing
        .chain(chainId)
        .orElseThrow(
            () ->
                new StorageException(
                    StorageErrorCode.NOT_SERVING, "no routing for chain " + chainId + " yet"));
  }

  private static void requireVersion(ChainView view, long requested) {
    if (requested != view.version()) {
      throw StorageException.staleChain(view.chainId(), requested, view.version());
    }
  }

  private static void requireHead(StorageTarget t, ChainView view) {
    ChainMember head =
        view.head()
            .orElseThrow(
                () ->
                    new StorageException(
                        StorageErrorCode.NOT_SERVING,
                        "chain " + view.chainId() + " has no SERVING head"));
    if (head.targetId() != t.targetId() || t.localState() != LocalTargetState.UPTODATE) {
      throw new StorageException(
          StorageErrorCode.NOT_SERVING,
          "target "
              + t.targetId()
              + " is not the serving head of chain "
              + view.chainId()
              + " (the head is "
              + head.targetId()
              + " at "
              + head.address()
              + ")");
    }
  }

  private static StorageException denied(String why) {
    return new StorageException(StorageErrorCode.PERMISSION_DENIED, "permission denied: " + why);
  }

  private static WriteResult result(ChunkVersion v) {
    return new WriteResult(v.version(), v.length(), v.crc32c());
  }

  private static WriteResult remember(StorageTarget t, WriteCommand w, WriteResult r) {
    t.rememberResult(w.requestId(), w.chunk(), r);
    return r;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(StorageErrorCode.UNAVAILABLE, "interrupted", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    syncPool.shutdownNow();
    for (StorageTarget t : targets.values()) {
      t.close();
    }
    targets.clear();
  }
}
