package io.catena.client.storage;

import io.catena.client.routing.Replica;
import io.catena.protocol.data.ChunkDataClient;
import io.catena.protocol.data.ChunkReadReply;
import io.catena.protocol.data.ChunkReadRequest;
import io.catena.protocol.routing.HostPort;
import io.catena.protocol.security.TransportSecurity;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which chunk reads take the storage daemons' data channel ({@link ChunkDataClient}: the daemon
 * writes the committed bytes from a mapping of its data file straight into the caller's buffer, no
 * protobuf framing) and the state that decision needs: a read of at least {@link #MIN_BYTES} whose
 * replica's node publishes a data address that has not failed in the last {@link #DEFAULT_PAUSE}.
 * Smaller reads stay on gRPC: they share BatchRead calls with the other reads bound for the same
 * daemon, and at their size the per-message cost the data channel avoids is small next to the round
 * trip.
 */
final class DataChannelReads implements AutoCloseable {

  /** Reads shorter than this stay on gRPC. */
  static final int MIN_BYTES = 64 * 1024;

  /** How long a data channel that failed is left alone. */
  static final Duration DEFAULT_PAUSE = Duration.ofSeconds(5);

  private final ChunkDataClient client;
  private final EndpointPause pause;
  private final Map<String, InetSocketAddress> resolved = new ConcurrentHashMap<>();
  private final LongAdder reads = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();

  DataChannelReads(Duration readTimeout) {
    this(readTimeout, DEFAULT_PAUSE);
  }

  /** Reads with the process's transport security (TLS to any daemon, or plain text on loopback). */
  DataChannelReads(Duration readTimeout, TransportSecurity security) {
    this(readTimeout, DEFAULT_PAUSE, security);
  }

  DataChannelReads(Duration readTimeout, Duration pauseAfterFailure) {
    this(readTimeout, pauseAfterFailure, null);
  }

  /** {@code security} null: plain text to any address, as before transport security existed. */
  DataChannelReads(Duration readTimeout, Duration pauseAfterFailure, TransportSecurity security) {
    this.client =
        security == null
            ? new ChunkDataClient(readTimeout)
            : new ChunkDataClient(readTimeout, security);
    this.pause = new EndpointPause(pauseAfterFailure, System::nanoTime);
  }

  /** The data-channel address to read {@code length} bytes from {@code replica}, or null: gRPC. */
  InetSocketAddress endpointFor(Replica replica, int length) {
    String address = replica.dataAddress();
    if (length < MIN_BYTES || address.isEmpty() || !pause.usable(address)) {
      return null;
    }
    try {
      return resolved.computeIfAbsent(
          address,
          a -> {
            HostPort hp = HostPort.parse(a);
            return new InetSocketAddress(hp.host(), hp.port());
          });
    } catch (IllegalArgumentException e) {
      pause.failed(address);
      return null;
    }
  }

  /** Reads over the data channel (blocking); see {@link ChunkDataClient#read}. */
  ChunkReadReply read(InetSocketAddress endpoint, ChunkReadRequest request, ByteBuffer dst) {
    ChunkReadReply reply = client.read(endpoint, request, dst);
    reads.increment();
    bytes.add(reply.length());
    return reply;
  }

  /** A read the daemon answered with a refusal (it still used the data channel). */
  void refused() {
    reads.increment();
  }

  /** The data channel at {@code dataAddress} could not be reached or broke: pause it, use gRPC. */
  void fellBack(String dataAddress) {
    pause.failed(dataAddress);
    fallbacks.increment();
  }

  DataChannelStats stats() {
    return new DataChannelStats(reads.sum(), bytes.sum(), fallbacks.sum());
  }

  @Override
  public void close() {
    client.close();
  }
}
