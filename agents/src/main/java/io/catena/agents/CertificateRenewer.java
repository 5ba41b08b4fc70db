package io.catena.agents;

import io.catena.protocol.agent.ControlPlaneRegistryGrpc;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.RenewRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the node certificate before it expires, without a restart: every {@code checkEvery} it
 * looks at the certificate and, from two thirds into its validity, asks the control plane's {@code
 * Renew} (authenticated by the current certificate) for one on a new key. A failure is logged and
 * retried at the next check; the old certificate serves until it expires.
 */
final class CertificateRenewer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewer.class);

  private final NodeIdentity identity;
  private final ControlPlaneConfig controlPlane;
  private final String nodeName;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("cert-renewer").unstarted(r));

  CertificateRenewer(
      NodeIdentity identity,
      ControlPlaneConfig controlPlane,
      String nodeName,
      Clock clock,
      Duration checkEvery) {
    this.identity = identity;
    this.controlPlane = controlPlane;
    this.nodeName = nodeName;
    this.clock = clock;
    timer.scheduleWithFixedDelay(
        this::renewIfDue, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void renewIfDue() {
    try {
      Instant due = identity.renewAt().orElse(Instant.MAX);
      if (clock.instant().isBefore(due)) {
        return;
      }
      renew();
    } catch (IOException | RuntimeException e) {
      LOG.warn("renewing the node certificate failed (retried later): {}", e.getMessage());
    }
  }

  /** Renews now, whatever the certificate's age. */
  void renew() throws IOException {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                controlPlane.address().host(),
                controlPlane.address().port(),
                identity.transport().channelCredentials(controlPlane.address().host()))
            .build();
    try {
      JoinReply reply =
          ControlPlaneRegistryGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .renew(RenewRequest.newBuilder().setCsrPem(identity.newRequest(nodeName)).build());
      identity.store(reply);
      LOG.info("renewed the node certificate of {}", nodeName);
    } catch (StatusRuntimeException e) {
      throw new IOException("the control plane refused to renew: " + e.getStatus(), e);
    } finally {
      channel.shutdownNow();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
