package io.catena.client.kv;

import com.google.protobuf.ByteString;
import io.catena.client.CatenaClient;
import io.catena.client.CatenaClientConfig;
import io.catena.client.CatenaException;
import io.catena.client.ClientErrorCode;
import io.catena.protocol.kv.AbortRequest;
import io.catena.protocol.kv.CloseSessionRequest;
import io.catena.protocol.kv.CommitItem;
import io.catena.protocol.kv.CommitRequest;
import io.catena.protocol.kv.DeleteRequest;
import io.catena.protocol.kv.ExistsRequest;
import io.catena.protocol.kv.KeepAliveRequest;
import io.catena.protocol.kv.KvIndexGrpc;
import io.catena.protocol.kv.KvPolicy;
import io.catena.protocol.kv.KvStatus;
import io.catena.protocol.kv.LookupReply;
import io.catena.protocol.kv.LookupRequest;
import io.catena.protocol.kv.LookupResult;
import io.catena.protocol.kv.OpenSessionRequest;
import io.catena.protocol.kv.ReserveItem;
import io.catena.protocol.kv.ReserveReply;
import io.catena.protocol.kv.ReserveRequest;
import io.catena.protocol.kv.SetPolicyRequest;
import io.catena.protocol.kv.Slab;
import io.catena.protocol.kv.StatsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native KV API of a tenant (docs/kv.md): put, get, exists, delete and their batch forms over
 * the KV index on meta and the slab files on storage. A put reserves slots, writes the bytes
 * straight from the caller's buffers to the chains' heads and commits with each value's CRC32C; a
 * get finds values under a read lease and reads them straight into the caller's buffers, checking
 * the CRC32C. Keys are up to 1024 bytes; values 1 byte to 1 GiB. Thread-safe; one writer session
 * (kept alive in the background) serves all puts of this client.
 *
 * <pre>{@code
 * try (KvClient kv = KvClient.open(client)) {
 *   kv.put("page-0".getBytes(), ByteBuffer.wrap(bytes));
 *   int hits = kv.batchExists(List.of(k0, k1, k2));   // leading run present
 *   int n = kv.get(k0, directBuffer);                 // -1 when absent
 * }
 * }</pre>
 */
public final class KvClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KvClient.class);

  /** Keys per call to meta (the index's limit). */
  public static final int MAX_BATCH = 1024;

  public static final Duration SESSION_TTL = Duration.ofSeconds(30);

  private final ManagedChannel channel;
  private final KvIndexGrpc.KvIndexBlockingStub stub;
  private final Duration callTimeout;
  private final KvCalls calls;
  private final SlabIo slabs;
  private final Duration sessionTtl;
  private final ScheduledExecutorService keepAlive;
  private long sessionId;
  private boolean closed;

  private KvClient(CatenaClient client, Duration sessionTtl) {
    CatenaClientConfig config = client.config();
    this.channel =
        NettyChannelBuilder.forTarget(
                config.metaAddress(), config.transport().channelCredentials(config.metaAddress()))
            .build();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + config.token());
    this.stub =
        KvIndexGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    this.callTimeout = config.callTimeout();
    this.calls = new KvCalls(config.ioRetryBudget());
    this.slabs = new SlabIo(client.chunks());
    this.sessionTtl = sessionTtl;
    this.keepAlive =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kv-session-keepalive");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, sessionTtl.toMillis() / 3);
    keepAlive.scheduleWithFixedDelay(this::keepSessionAlive, every, every, TimeUnit.MILLISECONDS);
  }

  /** A KV client over {@code client}'s routing and storage channels, for the same tenant. */
  public static KvClient open(CatenaClient client) {
    return new KvClient(client, SESSION_TTL);
  }

  /** As {@link #open(CatenaClient)} with a writer-session TTL (reservations die with it). */
  public static KvClient open(CatenaClient client, Duration sessionTtl) {
    if (sessionTtl.toMillis() < 300) {
      throw new IllegalArgumentException("a session TTL under 300 ms cannot be kept alive");
    }
    return new KvClient(client, sessionTtl);
  }

  private KvIndexGrpc.KvIndexBlockingStub stub() {
    return stub.withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- puts --------------------------------------------------------------------------------

  public KvPutStatus put(byte[] key, ByteBuffer value) {
    return putBatch(List.of(KvPut.of(key, value)), false).getFirst();
  }

  public KvPutStatus put(String key, byte[] value) {
    return putBatch(List.of(KvPut.of(key, value)), false).getFirst();
  }

  /**
   * Puts values in one reservation and one commit per {@link #MAX_BATCH} keys, writing them all in
   * parallel. With {@code overwrite}, committed keys are replaced (they read as absent until the
   * new value commits); without it they answer EXISTS and nothing is written.
   */
  public List<KvPutStatus> putBatch(List<KvPut> puts, boolean overwrite) {
    List<KvPutStatus> out = new ArrayList<>(puts.size());
    for (int i = 0; i < puts.size(); i += MAX_BATCH) {
      out.addAll(putSome(puts.subList(i, Math.min(puts.size(), i + MAX_BATCH)), overwrite));
    }
    return out;
  }

  private List<KvPutStatus> putSome(List<KvPut> puts, boolean overwrite) {
    try {
      return putOnce(puts, overwrite);
    } catch (KvCalls.KvSessionLost lost) {
      log.debug("KV session lost ({}); opening a new one", lost.getMessage());
      dropSession();
      return putOnce(puts, overwrite);
    }
  }

  private List<KvPutStatus> putOnce(List<KvPut> puts, boolean overwrite) {
    long session = session();
    ReserveRequest.Builder req =
        ReserveRequest.newBuilder().setSessionId(session).setOverwrite(overwrite);
    for (KvPut p : puts) {
      if (!p.value().hasRemaining()) {
        throw new CatenaException(
            ClientErrorCode.INVALID_ARGUMENT, "a value needs a byte at least");
      }
      req.addItems(
          ReserveItem.newBuilder()
              .setKey(ByteString.copyFrom(p.key()))
              .setLength(p.value().remaining())
              .setPrevKey(ByteString.copyFrom(p.prevKey()))
              .setTtlMs(p.ttlMs()));
    }
    ReserveReply reserved = calls.call("reserve", () -> stub().reserve(req.build()));
    Map<Long, Slab> slabById = slabMap(reserved.getSlabsList());
    KvPutStatus[] status = new KvPutStatus[puts.size()];
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    List<Integer> written = new ArrayList<>();
    int[] crcs = new int[puts.size()];
    for (int i = 0; i < puts.size(); i++) {
      var r = reserved.getResults(i);
      status[i] = reserveStatus(r.getStatus());
      if (r.getStatus() != KvStatus.OK) {
        continue;
      }
      KvPut p = puts.get(i);
      crcs[i] = crc32c(p.value());
      written.add(i);
      writes.add(
          slabs.write(slabById.get(r.getLocation().getSlabInodeId()), r.getLocation(), p.value()));
    }
    List<Integer> toCommit = new ArrayList<>();
    List<ByteString> toAbort = new ArrayList<>();
    CatenaException firstFailure = null;
    for (int w = 0; w < writes.size(); w++) {
      int i = written.get(w);
      try {
        writes.get(w).join();
        toCommit.add(i);
      } catch (CompletionException e) {
        status[i] = KvPutStatus.FAILED;
        toAbort.add(ByteString.copyFrom(puts.get(i).key()));
        if (firstFailure == null) {
          firstFailure = io.catena.client.kv.KvClient.unwrap(e);
        }
      }
    }
    if (!toAbort.isEmpty()) {
      try {
        calls.call(
            "abort",
            () ->
                stub()
                    .abort(
                        AbortRequest.newBuilder()
                            .setSessionId(session)
                            .addAllKeys(toAbort)
                            .build()));
      } catch (RuntimeException e) {
        log.warn("could not abort {} reservations; they go when the session does", toAbort.size());
      }
      log.warn(
          "{} of {} values could not be written: {}", toAbort.size(), puts.size(), firstFailure);
    }
    if (!toCommit.isEmpty()) {
      CommitRequest.Builder commit = CommitRequest.newBuilder().setSessionId(session);
      for (int i : toCommit) {
        commit.addItems(
            CommitItem.newBuilder()
                .setKey(ByteString.copyFrom(puts.get(i).key()))
                .setCrc32C(crcs[i]));
      }
      var statuses = calls.call("commit", () -> stub().commit(commit.build())).getStatusesList();
      for (int c = 0; c < toCommit.size(); c++) {
        status[toCommit.get(c)] =
            statuses.get(c) == KvStatus.OK ? KvPutStatus.STORED : KvPutStatus.FAILED;
      }
    }
    if (puts.size() == 1 && firstFailure != null) {
      throw firstFailure;
    }
    return List.of(status);
  }

  private static KvPutStatus reserveStatus(KvStatus s) {
    return switch (s) {
      case OK -> KvPutStatus.STORED;
      case EXISTS -> KvPutStatus.EXISTS;
      case BUSY -> KvPutStatus.BUSY;
      case NO_SPACE -> KvPutStatus.NO_SPACE;
      case TOO_LARGE -> KvPutStatus.TOO_LARGE;
      default -> KvPutStatus.FAILED;
    };
  }

  // ---- gets --------------------------------------------------------------------------------

  /** The value of {@code key}, or null when absent. */
  public byte[] get(byte[] key) {
    KvValue v = locate(List.of(key), false).getFirst();
    if (v == null) {
      return null;
    }
    ByteBuffer dst = ByteBuffer.allocate(v.length());
    return read(List.of(v), List.of(dst))[0] < 0 ? null : dst.array();
  }

  public byte[] get(String key) {
    return get(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads {@code key}'s value into {@code dst} at its position (advancing it); answers the length,
   * or -1 when absent. {@code dst} must have room for the whole value.
   */
  public int get(byte[] key, ByteBuffer dst) {
    int n = getBatch(List.of(key), List.of(dst))[0];
    return n;
  }

  /**
   * Reads each key's value into its buffer (at its position, advancing it): the lengths, -1 for
   * absent keys. All reads of the batch run in parallel.
   */
  public int[] getBatch(List<byte[]> keys, List<ByteBuffer> dsts) {
    if (keys.size() != dsts.size()) {
      throw new IllegalArgumentException("one buffer per key");
    }
    List<KvValue> found = locate(keys, false);
    int[] out = read(found, dsts);
    for (int i = 0; i < out.length; i++) {
      if (out[i] > 0) {
        dsts.get(i).position(dsts.get(i).position() + out[i]);
      }
    }
    return out;
  }

  /**
   * Where the values of {@code keys} are (null for absent keys), each under a read lease; with
   * {@code prefixOnly} the list ends at the first absent key. Counts as an access for eviction.
   */
  public List<KvValue> locate(List<byte[]> keys, boolean prefixOnly) {
    List<KvValue> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i += MAX_BATCH) {
      List<byte[]> part = keys.subList(i, Math.min(keys.size(), i + MAX_BATCH));
      LookupRequest.Builder req = LookupRequest.newBuilder().setPrefixOnly(prefixOnly);
      part.forEach(k -> req.addKeys(ByteString.copyFrom(k)));
      LookupReply reply = calls.call("lookup", () -> stub().lookup(req.build()));
      Map<Long, Slab> slabById = slabMap(reply.getSlabsList());
      for (int j = 0; j < reply.getResultsCount(); j++) {
        LookupResult r = reply.getResults(j);
        out.add(
            r.getStatus() == KvStatus.OK
                ? new KvValue(
                    part.get(j),
                    slabById.get(r.getLocation().getSlabInodeId()),
                    r.getLocation(),
                    reply.getLeaseExpiresAtMs())
                : null);
      }
      if (prefixOnly && reply.getResultsCount() < part.size()) {
        break;
      }
    }
    return out;
  }

  /**
   * Reads located values into the buffers (at their positions, which are not moved) and checks each
   * CRC32C: the lengths, -1 for null entries and for values deleted meanwhile. A value whose lease
   * ended before its bytes arrived, or whose checksum does not match, is located and read once
   * more; a second mismatch fails with CHECKSUM_MISMATCH.
   */
  public int[] read(List<KvValue> values, List<ByteBuffer> dsts) {
    int[] out = new int[values.size()];
    List<SlabIo.Read> reads = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      KvValue v = values.get(i);
      out[i] = -1;
      if (v == null) {
        continue;
      }
      if (dsts.get(i).remaining() < v.length()) {
        throw new CatenaException(
            ClientErrorCode.INVALID_ARGUMENT,
            "buffer of " + dsts.get(i).remaining() + " bytes for a value of " + v.length());
      }
      reads.add(new SlabIo.Read(v.slab, v.location, dsts.get(i)));
      index.add(i);
    }
    List<CompletableFuture<Void>> done = slabs.read(reads);
    List<Integer> again = new ArrayList<>();
    for (int r = 0; r < reads.size(); r++) {
      int i = index.get(r);
      join(done.get(r));
      KvValue v = values.get(i);
      if (System.currentTimeMillis() >= v.leaseExpiresAtMs()
          || crc32c(dsts.get(i).slice(dsts.get(i).position(), v.length()))
              != v.location.getCrc32C()) {
        again.add(i);
      } else {
        out[i] = v.length();
      }
    }
    for (int i : again) {
      KvValue fresh = locate(List.of(values.get(i).key()), false).getFirst();
      if (fresh == null) {
        continue;
      }
      ByteBuffer dst = dsts.get(i);
      if (dst.remaining() < fresh.length()) {
        throw new CatenaException(
            ClientErrorCode.INVALID_ARGUMENT, "the value grew past its buffer while being read");
      }
      join(slabs.read(List.of(new SlabIo.Read(fresh.slab, fresh.location, dst))).getFirst());
      if (crc32c(dst.slice(dst.position(), fresh.length())) != fresh.location.getCrc32C()) {
        throw new CatenaException(
            ClientErrorCode.CHECKSUM_MISMATCH,
            "value of key "
                + new String(fresh.key(), StandardCharsets.UTF_8)
                + " does not match its CRC32C");
      }
      out[i] = fresh.length();
    }
    return out;
  }

  // ---- exists, delete, policy --------------------------------------------------------------

  public boolean exists(byte[] key) {
    return batchExists(List.of(key)) == 1;
  }

  /** How many leading keys exist: the hit length of a prefix chain (HiCache's batch_exists). */
  public int batchExists(List<byte[]> keys) {
    int total = 0;
    for (int i = 0; i < keys.size(); i += MAX_BATCH) {
      List<byte[]> part = keys.subList(i, Math.min(keys.size(), i + MAX_BATCH));
      ExistsRequest.Builder req = ExistsRequest.newBuilder();
      part.forEach(k -> req.addKeys(ByteString.copyFrom(k)));
      int n = calls.call("exists", () -> stub().exists(req.build())).getPrefixLength();
      total += n;
      if (n < part.size()) {
        break;
      }
    }
    return total;
  }

  public boolean delete(byte[] key) {
    return deleteBatch(List.of(key)).getFirst();
  }

  /** Deletes keys; true for each that was there. */
  public List<Boolean> deleteBatch(List<byte[]> keys) {
    List<Boolean> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i += MAX_BATCH) {
      List<byte[]> part = keys.subList(i, Math.min(keys.size(), i + MAX_BATCH));
      DeleteRequest.Builder req = DeleteRequest.newBuilder();
      part.forEach(k -> req.addKeys(ByteString.copyFrom(k)));
      calls.call("delete", () -> stub().delete(req.build())).getStatusesList().stream()
          .map(s -> s == KvStatus.OK)
          .forEach(out::add);
    }
    return out;
  }

  public KvStats stats() {
    return KvStats.of(calls.call("stats", () -> stub().stats(StatsRequest.getDefaultInstance())));
  }

  /**
   * Sets the tenant's KV policy (needs its root, uid 0): capacity (0: the byte quota), watermarks
   * in percent (0: 95 and 90), default TTL in ms (0: none).
   */
  public KvStats setPolicy(long capacityBytes, int highPct, int lowPct, long defaultTtlMs) {
    KvPolicy policy =
        KvPolicy.newBuilder()
            .setCapacityBytes(capacityBytes)
            .setHighWatermarkPct(highPct)
            .setLowWatermarkPct(lowPct)
            .setDefaultTtlMs(defaultTtlMs)
            .build();
    return KvStats.of(
        calls.call(
            "set policy",
            () -> stub().setPolicy(SetPolicyRequest.newBuilder().setPolicy(policy).build())));
  }

  // ---- session -----------------------------------------------------------------------------

  private synchronized long session() {
    if (closed) {
      throw new CatenaException(ClientErrorCode.BAD_HANDLE, "the KV client is closed");
    }
    if (sessionId == 0) {
      sessionId =
          calls
              .call(
                  "open session",
                  () ->
                      stub()
                          .openSession(
                              OpenSessionRequest.newBuilder()
                                  .setTtlMs((int) sessionTtl.toMillis())
                                  .build()))
              .getSessionId();
    }
    return sessionId;
  }

  private synchronized void dropSession() {
    sessionId = 0;
  }

  private void keepSessionAlive() {
    long id;
    synchronized (this) {
      id = sessionId;
    }
    if (id == 0) {
      return;
    }
    try {
      calls.call(
          "keep alive",
          () -> stub().keepAlive(KeepAliveRequest.newBuilder().setSessionId(id).build()));
    } catch (KvCalls.KvSessionLost e) {
      synchronized (this) {
        if (sessionId == id) {
          sessionId = 0;
        }
      }
    } catch (RuntimeException e) {
      log.warn("KV session keep-alive failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    long id;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      id = sessionId;
    }
    keepAlive.shutdownNow();
    if (id != 0) {
      try {
        stub().closeSession(CloseSessionRequest.newBuilder().setSessionId(id).build());
      } catch (RuntimeException e) {
        log.debug("closing KV session {}: {}", id, e.getMessage());
      }
    }
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static Map<Long, Slab> slabMap(List<Slab> slabs) {
    Map<Long, Slab> map = new HashMap<>();
    slabs.forEach(s -> map.put(s.getInodeId(), s));
    return map;
  }

  static int crc32c(ByteBuffer value) {
    CRC32C crc = new CRC32C();
    crc.update(value.duplicate());
    return (int) crc.getValue();
  }

  private static void join(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      throw unwrap(e);
    }
  }

  static CatenaException unwrap(Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CatenaException ce) {
      return ce;
    }
    return new CatenaException(ClientErrorCode.INTERNAL, String.valueOf(cause), cause);
  }
}
