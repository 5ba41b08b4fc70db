package io.catena.protocol.routing;

import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.mgmtd.GetPrimaryRequest;
import io.catena.protocol.mgmtd.GetPrimaryResponse;
import io.catena.protocol.mgmtd.GetRoutingInfoRequest;
import io.catena.protocol.mgmtd.GetRoutingInfoResponse;
import io.catena.protocol.mgmtd.HeartbeatRequest;
import io.catena.protocol.mgmtd.HeartbeatResponse;
import io.catena.protocol.mgmtd.MgmtdAdminServiceGrpc;
import io.catena.protocol.mgmtd.MgmtdServiceGrpc;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches the primary mgmtd from a list of endpoints (DNS names or addresses). Names are resolved
 * again on every connect, every address is asked who the primary is, and a call that meets a
 * non-primary or a dead instance reconnects and retries until the failover timeout. Used by the
 * daemons, the client library and the control plane.
 */
public final class MgmtdClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MgmtdClient.class);

  private final List<HostPort> endpoints;
  private final AddressResolver resolver;
  private final Duration callTimeout;
  private final Duration failoverTimeout;
  private final TransportSecurity transport;
  private final Object lock = new Object();
  private ManagedChannel channel;
  private String primaryAddress;
  private volatile boolean closed;

  public MgmtdClient(List<String> endpoints) {
    this(endpoints, AddressResolver.system(), Duration.ofSeconds(5), Duration.ofSeconds(90));
  }

  public MgmtdClient(
      List<String> endpoints,
      AddressResolver resolver,
      Duration callTimeout,
      Duration failoverTimeout) {
    this(endpoints, resolver, callTimeout, failoverTimeout, TransportSecurity.plaintext());
  }

  /** A client that dials mgmtd with {@code transport} (TLS off loopback). */
  public MgmtdClient(List<String> endpoints, TransportSecurity transport) {
    this(
        endpoints,
        AddressResolver.system(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(90),
        transport);
  }

  public MgmtdClient(
      List<String> endpoints,
      AddressResolver resolver,
      Duration callTimeout,
      Duration failoverTimeout,
      TransportSecurity transport) {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException("no mgmtd endpoint given");
    }
    this.endpoints = endpoints.stream().map(HostPort::parse).toList();
    this.resolver = resolver;
    this.callTimeout = callTimeout;
    this.failoverTimeout = failoverTimeout;
    this.transport = transport;
  }

  public HeartbeatResponse heartbeat(HeartbeatRequest request) {
    return call(
        ch -> withDeadline(MgmtdServiceGrpc.newBlockingStub(ch)).heartbeat(request),
        HeartbeatResponse::getError);
  }

  /** The routing info if it is newer than {@code knownVersion}. */
  public Optional<RoutingInfo> routingInfo(long knownVersion) {
    GetRoutingInfoResponse response =
        call(
            ch ->
                withDeadline(MgmtdServiceGrpc.newBlockingStub(ch))
                    .getRoutingInfo(
                        GetRoutingInfoRequest.newBuilder().setKnownVersion(knownVersion).build()),
            GetRoutingInfoResponse::getError);
    return response.hasInfo() ? Optional.of(response.getInfo()) : Optional.empty();
  }

  /**
   * Runs an admin call on the primary; {@code error} extracts the response's error so that
   * NOT_PRIMARY and UNAVAILABLE answers are retried on the new primary. Other errors are returned
   * in the response for the caller to judge.
   */
  public <T> T admin(
      Function<MgmtdAdminServiceGrpc.MgmtdAdminServiceBlockingStub, T> call,
      Function<T, ErrorDetail> error) {
    return call(ch -> call.apply(withDeadline(MgmtdAdminServiceGrpc.newBlockingStub(ch))), error);
  }

  /**
   * Follows routing info: {@code listener} gets the current info, then each newer version, across
   * mgmtd failovers, until the returned handle is closed.
   */
  public AutoCloseable watchRouting(Consumer<RoutingInfo> listener) {
    Context.CancellableContext context = Context.current().withCancellation();
    Thread watcher =
        Thread.ofVirtual()
            .name("mgmtd-routing-watch")
            .start(() -> context.run(() -> watchLoop(listener, context)));
    return () -> {
      context.cancel(null);
      watcher.interrupt();
    };
  }

  /** The primary's address as last discovered, if connected. */
  public Optional<String> primaryAddress() {
    synchronized (lock) {
      return Optional.ofNullable(primaryAddress);
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      dropChannel();
    }
  }

  private void watchLoop(Consumer<RoutingInfo> listener, Context.CancellableContext context) {
    long lastVersion = -1;
    int failures = 0;
    while (!closed && !context.isCancelled()) {
      ManagedChannel ch = null;
      try {
        ch = primaryChannel();
        Iterator<RoutingInfo> stream =
            MgmtdServiceGrpc.newBlockingStub(ch)
                .watchRoutingInfo(GetRoutingInfoRequest.getDefaultInstance());
        while (stream.hasNext()) {
          RoutingInfo info = stream.next();
          failures = 0;
          if (info.getVersion() != lastVersion) {
            lastVersion = info.getVersion();
            listener.accept(info);
          }
        }
      } catch (RuntimeException e) {
        if (closed || context.isCancelled()) {
          return;
        }
        log.debug("routing watch interrupted, reconnecting: {}", e.getMessage());
        dropIfCurrent(ch);
      }
      backOff(++failures);
    }
  }

  private <T> T call(Function<ManagedChannel, T> rpc, Function<T, ErrorDetail> error) {
    long deadline = System.nanoTime() + failoverTimeout.toNanos();
    RuntimeException last = null;
    for (int attempt = 1; !closed; attempt++) {
      ManagedChannel ch = null;
      try {
        ch = primaryChannel();
        T response = rpc.apply(ch);
        ErrorDetail detail = error.apply(response);
        if (detail.getCode() != ErrorCode.NOT_PRIMARY
            && detail.getCode() != ErrorCode.UNAVAILABLE) {
          return response;
        }
        last = new IllegalStateException(detail.getMessage());
      } catch (StatusRuntimeException e) {
        if (!retryable(e.getStatus())) {
          throw e;
        }
        last = e;
      } catch (MgmtdUnavailableException e) {
        last = e;
      }
      dropIfCurrent(ch);
      if (System.nanoTime() > deadline) {
        break;
      }
      backOff(attempt);
    }
    throw new MgmtdUnavailableException(
        "no primary mgmtd answered at "
            + endpoints
            + " within "
            + failoverTimeout.toSeconds()
            + " s: "
            + (last == null ? "client closed" : last.getMessage()),
        last);
  }

  private ManagedChannel primaryChannel() {
    synchronized (lock) {
      if (channel != null) {
        return channel;
      }
      RuntimeException last = null;
      for (HostPort endpoint : endpoints) {
        List<InetAddress> addresses;
        try {
          addresses = resolver.resolve(endpoint.host());
        } catch (Exception e) {
          last =
              new IllegalStateException(
                  "cannot resolve " + endpoint.host() + ": " + e.getMessage());
          continue;
        }
        for (InetAddress address : addresses) {
          ManagedChannel candidate = open(address, endpoint.host(), endpoint.port());
          try {
            GetPrimaryResponse answer =
                MgmtdServiceGrpc.newBlockingStub(candidate)
                    .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .getPrimary(GetPrimaryRequest.getDefaultInstance());
            if (answer.getThisIsPrimary()) {
              channel = candidate;
              primaryAddress = answer.getPrimaryAddress();
              return channel;
            }
            candidate.shutdownNow();
            if (!answer.getPrimaryAddress().isEmpty()) {
              Optional<ManagedChannel> redirected =
                  tryPrimary(HostPort.parse(answer.getPrimaryAddress()));
              if (redirected.isPresent()) {
                return redirected.get();
              }
            }
          } catch (StatusRuntimeException e) {
            candidate.shutdownNow();
            last = e;
          }
        }
      }
      throw new MgmtdUnavailableException("no mgmtd at " + endpoints + " is primary", last);
    }
  }

  private Optional<ManagedChannel> tryPrimary(HostPort primary) {
    try {
      for (InetAddress address : resolver.resolve(primary.host())) {
        ManagedChannel candidate = open(address, primary.host(), primary.port());
        try {
          GetPrimaryResponse answer =
              MgmtdServiceGrpc.newBlockingStub(candidate)
                  .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                  .getPrimary(GetPrimaryRequest.getDefaultInstance());
          if (answer.getThisIsPrimary()) {
            channel = candidate;
            primaryAddress = answer.getPrimaryAddress();
            return Optional.of(candidate);
          }
        } catch (StatusRuntimeException e) {
          log.debug("primary {} did not answer: {}", primary, e.getStatus());
        }
        candidate.shutdownNow();
      }
    } catch (Exception e) {
      log.debug("cannot reach primary {}: {}", primary, e.getMessage());
    }
    return Optional.empty();
  }

  private ManagedChannel open(InetAddress address, String host, int port) {
    // Dial the resolved address but check the certificate against the name we were given, so a
    // DNS name (a Kubernetes service) works with certificates that name it.
    return NettyChannelBuilder.forAddress(
            new InetSocketAddress(address, port),
            // plain text is judged by the address actually dialled, TLS by the name
            transport.channelCredentials(transport.isTls() ? host : address.getHostAddress()))
        .overrideAuthority(host + ":" + port)
        .maxInboundMessageSize(256 << 20)
        .build();
  }

  private <S extends io.grpc.stub.AbstractStub<S>> S withDeadline(S stub) {
    return stub.withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Drops the channel a call failed on, unless another caller already replaced it: calls share the
   * channel, and shutting it down fails all of them; if each of those dropped whatever channel was
   * current, they would keep failing each other's retries on the new one.
   */
  private void dropIfCurrent(ManagedChannel failed) {
    synchronized (lock) {
      if (failed != null && channel == failed) {
        dropChannel();
      }
    }
  }

  private void dropChannel() {
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
      primaryAddress = null;
    }
  }

  private static boolean retryable(Status status) {
    return switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, UNKNOWN -> true;
      default -> false;
    };
  }

  private static void backOff(int attempt) {
    long boundMs = Math.min(1000, 50L << Math.min(attempt, 5));
    LockSupport.parkNanos(
        TimeUnit.MILLISECONDS.toNanos(
            ThreadLocalRandom.current().nextLong(boundMs / 2, boundMs + 1)));
  }
}
