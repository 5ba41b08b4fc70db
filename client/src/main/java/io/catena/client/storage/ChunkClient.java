package io.catena.client.storage;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.catena.client.CatenaException;
import io.catena.client.ClientErrorCode;
import io.catena.client.routing.ChainRoute;
import io.catena.client.routing.Replica;
import io.catena.client.routing.RoutingCache;
import io.catena.client.routing.RoutingSnapshot;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.data.ChunkDataException;
import io.catena.protocol.data.ChunkReadReply;
import io.catena.protocol.data.ChunkReadRequest;
import io.catena.protocol.storage.BatchReadRequest;
import io.catena.protocol.storage.BatchReadResponse;
import io.catena.protocol.storage.ReadRequest;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.RequestId;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Chunk I/O against the storage daemons, asynchronous, with the client's retry rules: writes go to
 * the chain head, reads to a SERVING replica chosen by {@link ReplicaSelector}; a retryable failure
 * asks for fresh routing and tries again, at once on another replica when a read has one, else
 * after a back-off (10 ms doubling to 500 ms) or as soon as newer routing arrives, until the retry
 * budget is spent. A write keeps its request id across attempts, so storage applies it once.
 */
public final class ChunkClient implements AutoCloseable {

  /** Reads to one storage daemon share a BatchRead of at most this many reads ... */
  static final int MAX_BATCH_READS = 128;

  /** ... and at most this many bytes. */
  static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;

  private final RoutingCache routing;
  private final StorageChannels channels;
  private final DataChannelReads dataReads;
  private final ReplicaSelector selector;
  private final String token;
  private static final java.security.SecureRandom INSTANCE_IDS = new java.security.SecureRandom();

  private final String clientId;
  private final Duration retryBudget;
  private final AtomicLong sequence = new AtomicLong();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * Data-channel reads block in socket reads of megabytes; on virtual threads every partial read
   * parks and wakes through the poller, which cost half the throughput here. Platform threads, idle
   * ones reused, block in the kernel instead.
   */
  private final ExecutorService dataThreads =
      Executors.newCachedThreadPool(
          Thread.ofPlatform().name("catena-data-read-", 0).daemon().factory());

  /** Runs retries; once closed, inline, so a waiting I/O still sees the close and fails. */
  private final java.util.concurrent.Executor executor =
      task -> {
        try {
          threads.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          task.run();
        }
      };

  /** A call in flight and whether newer routing still sends it to the same place. */
  private record InFlight(
      CompletableFuture<?> call, java.util.function.Predicate<RoutingSnapshot> stillRouted) {}

  private final java.util.Set<InFlight> inFlight =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A chunk client that reads over gRPC only. */
  public ChunkClient(
      RoutingCache routing,
      StorageChannels channels,
      ReplicaSelector selector,
      String token,
      String clientId,
      Duration retryBudget) {
    this(routing, channels, selector, token, clientId, retryBudget, null);
  }

  /**
   * A chunk client that reads ranges of at least 64 KiB over the storage daemons' data channel
   * where routing publishes one (each read bounded by {@code dataChannelTimeout}), falling back to
   * gRPC when it cannot be reached; null: gRPC only.
   */
  public ChunkClient(
      RoutingCache routing,
      StorageChannels channels,
      ReplicaSelector selector,
      String token,
      String clientId,
      Duration retryBudget,
      Duration dataChannelTimeout) {
    this.routing = routing;
    this.channels = channels;
    this.dataReads =
        dataChannelTimeout == null
            ? null
            : new DataChannelReads(dataChannelTimeout, channels.transport());
    this.selector = selector;
    this.token = token;
    this.clientId = clientId + "." + instanceSuffix();
    this.retryBudget = retryBudget;
    routing.subscribe(this::rerouted);
  }

  /**
   * What makes this client's request ids its own. Write sequences start at 1 in every client, and a
   * storage head answers a request id it has seen with that write's result: clients built from one
   * configuration (the same {@code clientId}) must still never send the same id, or one's write is
   * acknowledged without being stored.
   */
  private static String instanceSuffix() {
    return Long.toHexString(INSTANCE_IDS.nextLong() & 0xFFFF_FFFF_FFFFL);
  }

  /**
   * New routing: calls to a head that is no longer the head, or to a replica that no longer serves,
   * are cancelled and retried on the new route at once, rather than waiting out their deadline (a
   * hung daemon stalls I/O for one failure-detection period, not one call timeout).
   */
  private void rerouted(RoutingSnapshot snapshot) {
    for (InFlight f : inFlight) {
      if (!f.call().isDone() && !f.stillRouted().test(snapshot)) {
        f.call().cancel(false);
      }
    }
  }

  /** Tracks {@code call} until it completes. */
  private <T> CompletableFuture<T> track(
      CompletableFuture<T> call, java.util.function.Predicate<RoutingSnapshot> stillRouted) {
    InFlight f = new InFlight(call, stillRouted);
    inFlight.add(f);
    call.whenComplete((v, e) -> inFlight.remove(f));
    return call;
  }

  private static boolean isHead(RoutingSnapshot s, int chainId, long targetId) {
    return s.chain(chainId)
        .flatMap(ChainRoute::head)
        .map(h -> h.targetId() == targetId)
        .orElse(false);
  }

  private static boolean isReadable(RoutingSnapshot s, int chainId, long targetId) {
    return s.chain(chainId)
        .map(c -> c.readable().stream().anyMatch(r -> r.targetId() == targetId))
        .orElse(false);
  }

  public ReplicaSelector selector() {
    return selector;
  }

  /** What the data channel did for this client's reads (all zero when it reads over gRPC only). */
  public DataChannelStats dataChannelStats() {
    return dataReads == null ? new DataChannelStats(0, 0, 0) : dataReads.stats();
  }

  // ------------------------------------------------------------------ writes

  /** Writes one chunk range at the chain head; completes once every replica committed it. */
  public CompletableFuture<WriteAck> write(ChunkWrite w) {
    RequestId id =
        RequestId.newBuilder().setClientId(clientId).setSeq(sequence.incrementAndGet()).build();
    ByteBuffer view = w.data().duplicate();
    CRC32C crc = new CRC32C();
    crc.update(view.duplicate());
    ByteString data = UnsafeByteOperations.unsafeWrap(view);
    WriteRequest.Builder request =
        WriteRequest.newBuilder()
            .setChainId(w.chainId())
            .setChunkId(ByteString.copyFrom(w.chunkId()))
            .setOffset(w.offset())
            .setData(data)
            .setRequestId(id)
            .setToken(token)
            .setDataCrc32C((int) crc.getValue());
    String what = "write of chunk " + hex(w.chunkId()) + " on chain " + w.chainId();
    return new Retrying<WriteAck>(what, snapshot -> attemptWrite(snapshot, w, request)).start();
  }

  private CompletableFuture<WriteAck> attemptWrite(
      RoutingSnapshot snapshot, ChunkWrite w, WriteRequest.Builder request) {
    ChainRoute route = route(snapshot, w.chainId());
    Replica head =
        route
            .head()
            .orElseThrow(
                () -> new Retry("chain " + w.chainId() + " has no serving head now", false));
    WriteRequest r = request.setChainVersion(route.version()).build();
    return track(
            channels.call(head.address(), StorageChannels.WRITE, r),
            s -> isHead(s, w.chainId(), head.targetId()))
        .handle(
            (WriteResponse response, Throwable failure) -> {
              if (failure != null) {
                throw transportFailure(failure, head, "head", false);
              }
              if (response.hasError()) {
                throw storageFailure(response.getError(), head, false);
              }
              return new WriteAck(
                  response.getCommitVersion(),
                  response.getChunkLength(),
                  response.getChunkCrc32C());
            });
  }

  // ------------------------------------------------------------------ reads

  /**
   * Reads one chunk range into {@code r.dst()}; completes with the number of bytes the chunk held
   * there (fewer than asked past the chunk's end), or -1 if the chunk does not exist.
   */
  public CompletableFuture<Integer> read(ChunkRead r) {
    return new Retrying<Integer>(what(r), snapshot -> attemptRead(snapshot, r)).start();
  }

  /**
   * Reads many chunk ranges: each picks its replica, reads bound for one storage daemon travel in
   * shared BatchRead calls, and a read that fails retryably continues alone under the retry rules.
   * The futures are in the order of {@code reads}.
   */
  public List<CompletableFuture<Integer>> readBatch(List<ChunkRead> reads) {
    List<CompletableFuture<Integer>> results = new ArrayList<>(reads.size());
    RoutingSnapshot snapshot = routing.current();
    Map<String, List<Pending>> byAddress = new HashMap<>();
    for (ChunkRead r : reads) {
      CompletableFuture<Integer> result = new CompletableFuture<>();
      results.add(result);
      if (dataReads != null && r.length() >= DataChannelReads.MIN_BYTES) {
        // large enough for the data channel: each goes alone, in parallel with the batches
        forward(read(r), result);
        continue;
      }
      ChainRoute route = snapshot.chain(r.chainId()).orElse(null);
      List<Replica> readable = route == null ? List.of() : route.readable();
      Replica replica = selector.pick(readable);
      if (replica == null) {
        forward(read(r), result);
        continue;
      }
      selector.started(replica.targetId());
      byAddress
          .computeIfAbsent(replica.address(), a -> new ArrayList<>())
          .add(new Pending(r, route, replica, readable, result));
    }
    for (var entry : byAddress.entrySet()) {
      List<Pending> batch = new ArrayList<>();
      long bytes = 0;
      for (Pending p : entry.getValue()) {
        if (!batch.isEmpty()
            && (batch.size() >= MAX_BATCH_READS || bytes + p.read().length() > MAX_BATCH_BYTES)) {
          sendBatch(entry.getKey(), batch, snapshot.version());
          batch = new ArrayList<>();
          bytes = 0;
        }
        batch.add(p);
        bytes += p.read().length();
      }
      sendBatch(entry.getKey(), batch, snapshot.version());
    }
    return results;
  }

  private record Pending(
      ChunkRead read,
      ChainRoute route,
      Replica replica,
      List<Replica> readable,
      CompletableFuture<Integer> result) {}

  private void sendBatch(String address, List<Pending> batch, long routingVersion) {
    BatchReadRequest.Builder request = BatchReadRequest.newBuilder();
    List<ByteBuffer> destinations = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      request.addReads(readRequest(p.read(), p.route()));
      destinations.add(p.read().dst());
    }
    DirectReadMarshaller into = new DirectReadMarshaller(destinations);
    track(
            channels.call(address, DirectReadMarshaller.method(into), request.build()),
            s ->
                batch.stream()
                    .allMatch(p -> isReadable(s, p.read().chainId(), p.replica().targetId())))
        .whenComplete(
            (BatchReadResponse response, Throwable failure) -> {
              for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                selector.finished(p.replica().targetId());
                try {
                  if (failure != null) {
                    throw transportFailure(
                        failure,
                        p.replica(),
                        "replica",
                        selector.hasAlternative(p.readable(), p.replica().targetId()));
                  }
                  if (i >= response.getResultsCount()) {
                    throw new CatenaException(
                        ClientErrorCode.INTERNAL,
                        "storage answered "
                            + response.getResultsCount()
                            + " of "
                            + batch.size()
                            + " reads");
                  }
                  p.result()
                      .complete(
                          accept(
                              response.getResults(i),
                              into.placed(i),
                              p.read(),
                              p.replica(),
                              p.readable()));
                } catch (Retry retry) {
                  forward(
                      new Retrying<Integer>(what(p.read()), s -> attemptRead(s, p.read()))
                          .startAfter(retry, routingVersion),
                      p.result());
                } catch (RuntimeException e) {
                  p.result().completeExceptionally(e);
                }
              }
            });
  }

  private CompletableFuture<Integer> attemptRead(RoutingSnapshot snapshot, ChunkRead r) {
    ChainRoute route = route(snapshot, r.chainId());
    List<Replica> readable = route.readable();
    Replica replica = selector.pick(readable);
    if (replica == null) {
      throw new Retry("chain " + r.chainId() + " has no serving replica now", false);
    }
    selector.started(replica.targetId());
    InetSocketAddress endpoint =
        dataReads == null ? null : dataReads.endpointFor(replica, r.length());
    if (endpoint != null) {
      return readOverDataChannel(endpoint, r, route, replica, readable);
    }
    return readOverGrpc(r, route, replica, readable);
  }

  /** One read over gRPC from {@code replica} (already counted as started by the selector). */
  private CompletableFuture<Integer> readOverGrpc(
      ChunkRead r, ChainRoute route, Replica replica, List<Replica> readable) {
    DirectReadMarshaller into = new DirectReadMarshaller(List.of(r.dst()));
    BatchReadRequest request =
        BatchReadRequest.newBuilder().addReads(readRequest(r, route)).build();
    return track(
            channels.call(replica.address(), DirectReadMarshaller.method(into), request),
            s -> isReadable(s, r.chainId(), replica.targetId()))
        .handle(
            (BatchReadResponse response, Throwable failure) -> {
              selector.finished(replica.targetId());
              if (failure != null) {
                throw transportFailure(
                    failure,
                    replica,
                    "replica",
                    selector.hasAlternative(readable, replica.targetId()));
              }
              if (response.getResultsCount() != 1) {
                throw new CatenaException(
                    ClientErrorCode.INTERNAL,
                    "storage answered " + response.getResultsCount() + " results for one read");
              }
              return accept(response.getResults(0), into.placed(0), r, replica, readable);
            });
  }

  /**
   * One read over the data channel, on a platform thread (the channel is blocking I/O straight into
   * the read's buffer). New routing that takes the replica out interrupts it, which closes its
   * connection; the returned future completes only once that thread has stopped, so no late bytes
   * land in the buffer after a retry has used it. A connection or protocol failure pauses the
   * endpoint and takes gRPC to the same replica at once; a refusal is judged as over gRPC.
   */
  private CompletableFuture<Integer> readOverDataChannel(
      InetSocketAddress endpoint,
      ChunkRead r,
      ChainRoute route,
      Replica replica,
      List<Replica> readable) {
    ChunkReadRequest request =
        new ChunkReadRequest(
            r.chainId(), route.version(), r.chunkId(), r.offset(), r.length(), token);
    CompletableFuture<Void> routed = new CompletableFuture<>();
    CompletableFuture<ChunkReadReply> done = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicReference<Thread> runner =
        new java.util.concurrent.atomic.AtomicReference<>();
    track(routed, s -> isReadable(s, r.chainId(), replica.targetId()));
    routed.whenComplete(
        (v, e) -> {
          Thread t = runner.get();
          if (routed.isCancelled() && t != null) {
            t.interrupt();
          }
        });
    try {
      dataThreads.execute(
          () -> {
            runner.set(Thread.currentThread());
            try {
              if (routed.isCancelled()) {
                throw new java.util.concurrent.CancellationException("left the route");
              }
              ByteBuffer dst = r.dst().duplicate().clear().limit(r.length());
              done.complete(dataReads.read(endpoint, request, dst));
            } catch (Throwable t) {
              done.completeExceptionally(t);
            } finally {
              routed.complete(null);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      selector.finished(replica.targetId());
      throw new CatenaException(ClientErrorCode.UNAVAILABLE, "the client is closed");
    }
    return done.handle(
            (ChunkReadReply reply, Throwable failure) -> {
              if (failure == null) {
                selector.finished(replica.targetId());
                selector.healthy(replica.targetId());
                return CompletableFuture.completedFuture(reply.length());
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (routed.isCancelled()) {
                selector.finished(replica.targetId());
                throw transportFailure(
                    new java.util.concurrent.CancellationException(),
                    replica,
                    "replica",
                    selector.hasAlternative(readable, replica.targetId()));
              }
              if (cause instanceof ChunkDataException e && e.getCause() == null) {
                selector.finished(replica.targetId());
                dataReads.refused();
                return CompletableFuture.completedFuture(refusal(e, r, replica, readable));
              }
              if (cause instanceof ChunkDataException || cause instanceof RuntimeException) {
                if (channels.closed()) {
                  selector.finished(replica.targetId());
                  throw new CatenaException(ClientErrorCode.UNAVAILABLE, "the client is closed");
                }
                dataReads.fellBack(replica.dataAddress());
                return readOverGrpc(r, route, replica, readable);
              }
              selector.finished(replica.targetId());
              throw new CatenaException(ClientErrorCode.INTERNAL, what(r) + ": " + cause, cause);
            })
        .thenCompose(f -> f);
  }

  /** A data-channel refusal, judged as the same answer over gRPC would be. */
  private int refusal(ChunkDataException e, ChunkRead r, Replica replica, List<Replica> readable) {
    if (e.code() == ErrorCode.CHECKSUM_MISMATCH) {
      throw new CatenaException(
          ClientErrorCode.CHECKSUM_MISMATCH,
          what(r) + ": data from target " + replica.targetId() + " fails its CRC32C");
    }
    ErrorDetail error =
        ErrorDetail.newBuilder()
            .setCode(e.code())
            .setMessage(e.getMessage())
            .setRetryable(e.retryable())
            .setCurrentVersion(e.currentVersion())
            .build();
    return accept(ReadResponse.newBuilder().setError(error).build(), 0, r, replica, readable);
  }

  /**
   * Judges one read's answer: its data already lies in the read's buffer ({@code placed} bytes); an
   * error becomes a retry or a failure.
   */
  private int accept(
      ReadResponse response, int placed, ChunkRead r, Replica replica, List<Replica> readable) {
    if (response.hasError()) {
      ErrorDetail error = response.getError();
      if (error.getCode() == ErrorCode.NOT_FOUND) {
        selector.healthy(replica.targetId());
        return -1;
      }
      throw storageFailure(
          error,
          replica,
          RetryRules.blamesReplica(error) && selector.hasAlternative(readable, replica.targetId()));
    }
    selector.healthy(replica.targetId());
    if (!response.getData().isEmpty() || placed > r.length()) {
      throw new CatenaException(
          ClientErrorCode.INTERNAL,
          "storage returned "
              + Math.max(placed, response.getData().size())
              + " bytes for a read of "
              + r.length());
    }
    if (r.offset() == 0 && placed == response.getChunkLength() && placed > 0) {
      CRC32C crc = new CRC32C();
      crc.update(r.dst().duplicate().clear().limit(placed));
      if ((int) crc.getValue() != response.getChunkCrc32C()) {
        throw new CatenaException(
            ClientErrorCode.CHECKSUM_MISMATCH,
            what(r) + ": data from target " + replica.targetId() + " fails its CRC32C");
      }
    }
    return placed;
  }

  private ReadRequest readRequest(ChunkRead r, ChainRoute route) {
    return ReadRequest.newBuilder()
        .setChainId(r.chainId())
        .setChainVersion(route.version())
        .setChunkId(UnsafeByteOperations.unsafeWrap(r.chunkId()))
        .setOffset(r.offset())
        .setLength(r.length())
        .setToken(token)
        .build();
  }

  // ------------------------------------------------------------------ failure handling

  private static ChainRoute route(RoutingSnapshot snapshot, int chainId) {
    return snapshot
        .chain(chainId)
        .orElseThrow(
            () ->
                new Retry(
                    snapshot.version() == 0
                        ? "no routing info from mgmtd yet"
                        : "routing version " + snapshot.version() + " has no chain " + chainId,
                    false));
  }

  private RuntimeException transportFailure(
      Throwable failure, Replica replica, String role, boolean otherReplicaNow) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof java.util.concurrent.CancellationException) {
      if (channels.closed()) {
        return new CatenaException(ClientErrorCode.UNAVAILABLE, "the client is closed");
      }
      return new Retry(
          role + " " + replica.targetId() + " at " + replica.address() + " left the route",
          otherReplicaNow);
    }
    if (cause instanceof StatusRuntimeException sre) {
      var code = sre.getStatus().getCode();
      if (channels.closed()) {
        return new CatenaException(ClientErrorCode.UNAVAILABLE, "the client is closed");
      }
      if (RetryRules.retryable(code)) {
        selector.suspect(replica.targetId());
        return new Retry(
            role + " " + replica.targetId() + " at " + replica.address() + ": " + sre.getStatus(),
            otherReplicaNow);
      }
      return new CatenaException(
          RetryRules.code(code),
          role + " " + replica.targetId() + " at " + replica.address() + ": " + sre.getStatus(),
          sre);
    }
    if (cause instanceof RuntimeException re) {
      return re;
    }
    return new CatenaException(ClientErrorCode.INTERNAL, String.valueOf(cause), cause);
  }

  private RuntimeException storageFailure(
      ErrorDetail error, Replica replica, boolean otherReplicaNow) {
    String message =
        "target " + replica.targetId() + " answered " + error.getCode() + ": " + error.getMessage();
    if (RetryRules.retryable(error)) {
      if (RetryRules.blamesReplica(error)) {
        selector.suspect(replica.targetId());
      }
      return new Retry(message, otherReplicaNow);
    }
    return new CatenaException(RetryRules.code(error.getCode()), message);
  }

  private static <T> void forward(CompletableFuture<T> from, CompletableFuture<T> to) {
    from.whenComplete(
        (v, e) -> {
          if (e != null) {
            to.completeExceptionally(e instanceof CompletionException ? e.getCause() : e);
          } else {
            to.complete(v);
          }
        });
  }

  private static String what(ChunkRead r) {
    return "read of chunk " + hex(r.chunkId()) + " on chain " + r.chainId();
  }

  private static String hex(byte[] id) {
    return java.util.HexFormat.of().formatHex(id);
  }

  /** A retryable failure; {@code immediate}: another replica can take it now, no back-off. */
  static final class Retry extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean immediate;

    Retry(String message, boolean immediate) {
      super(message, null, false, false);
      this.immediate = immediate;
    }
  }

  /** One I/O under the retry rules. */
  private final class Retrying<T> {
    private final String what;
    private final Function<RoutingSnapshot, CompletableFuture<T>> attempt;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final long deadline = System.nanoTime() + retryBudget.toNanos();
    private int attempts;

    Retrying(String what, Function<RoutingSnapshot, CompletableFuture<T>> attempt) {
      this.what = what;
      this.attempt = attempt;
    }

    CompletableFuture<T> start() {
      run();
      return result;
    }

    CompletableFuture<T> startAfter(Retry failure, long routingVersion) {
      attempts++;
      retry(failure, routingVersion);
      return result;
    }

    private void run() {
      if (channels.closed()) {
        result.completeExceptionally(
            new CatenaException(ClientErrorCode.UNAVAILABLE, what + ": the client is closed"));
        return;
      }
      RoutingSnapshot snapshot = routing.current();
      attempts++;
      CompletableFuture<T> f;
      try {
        f = attempt.apply(snapshot);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete(
          (value, failure) -> {
            if (failure == null) {
              result.complete(value);
              return;
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof Retry r) {
              retry(r, snapshot.version());
            } else if (cause instanceof CatenaException ce) {
              result.completeExceptionally(ce);
            } else {
              result.completeExceptionally(
                  new CatenaException(ClientErrorCode.INTERNAL, what + ": " + cause, cause));
            }
          });
    }

    private void retry(Retry failure, long seenVersion) {
      if (System.nanoTime() - deadline > 0) {
        result.completeExceptionally(
            new CatenaException(
                ClientErrorCode.UNAVAILABLE,
                what
                    + " still failing after "
                    + retryBudget.toMillis()
                    + " ms ("
                    + attempts
                    + " attempts): "
                    + failure.getMessage()));
        return;
      }
      routing.refreshSoon();
      if (failure.immediate) {
        executor.execute(this::run);
        return;
      }
      long delay = RetryRules.jitteredDelayMillis(attempts);
      CompletableFuture<Void> timer =
          CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, executor));
      CompletableFuture.anyOf(routing.newerThan(seenVersion), timer)
          .whenCompleteAsync((x, e) -> run(), executor);
    }
  }

  @Override
  public void close() {
    threads.shutdown();
    dataThreads.shutdown();
    if (dataReads != null) {
      dataReads.close();
    }
  }
}
