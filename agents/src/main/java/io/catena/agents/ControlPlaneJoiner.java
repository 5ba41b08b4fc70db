package io.catena.agents;

import io.catena.protocol.agent.ControlPlaneRegistryGrpc;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.catena.protocol.agent.NodeFacts;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the control plane: sends the token, the node's facts and the agent's endpoint, retrying
 * while the control plane is unreachable (it may still be starting), failing at once on a refusal.
 */
final class ControlPlaneJoiner {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneJoiner.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(200);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

  private ControlPlaneJoiner() {}

  /**
   * Joins; with {@code identity} (a node certificate from an earlier join) the call presents it, so
   * a known node re-joins even after its join token expired.
   */
  static JoinReply join(
      ControlPlaneConfig config, JoinRequest request, Optional<TransportSecurity> identity)
      throws IOException {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                config.address().host(), config.address().port(), credentials(config, identity))
            .build();
    try {
      Instant giveUp = Instant.now().plus(config.joinTimeout());
      Duration wait = FIRST_RETRY;
      while (true) {
        try {
          return ControlPlaneRegistryGrpc.newBlockingStub(channel)
              .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .join(request);
        } catch (StatusRuntimeException e) {
          Status.Code code = e.getStatus().getCode();
          boolean transient_ =
              code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
          if (!transient_) {
            throw new IllegalStateException(
                "the control plane at "
                    + config.address()
                    + " refused the join: "
                    + code
                    + (e.getStatus().getDescription() == null
                        ? ""
                        : " " + e.getStatus().getDescription()),
                e);
          }
          if (Instant.now().plus(wait).isAfter(giveUp)) {
            throw new IllegalStateException(
                "cannot reach the control plane at "
                    + config.address()
                    + " within "
                    + config.joinTimeout().toSeconds()
                    + " s: "
                    + e.getStatus().getDescription(),
                e);
          }
          LOG.info("control plane {} not reachable yet ({}); retrying", config.address(), code);
          try {
            Thread.sleep(wait);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while joining", ie);
          }
          wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
        }
      }
    } finally {
      channel.shutdownNow();
    }
  }

  static JoinRequest request(
      String token,
      NodeFacts facts,
      HostPort endpoint,
      boolean tls,
      Optional<String> nodeId,
      String csrPem) {
    return JoinRequest.newBuilder()
        .setJoinToken(token)
        .setFacts(facts)
        .setAgentEndpoint(endpoint.toString())
        .setAgentTls(tls)
        .setNodeId(nodeId.orElse(""))
        .setCsrPem(csrPem)
        .build();
  }

  private static ChannelCredentials credentials(
      ControlPlaneConfig config, Optional<TransportSecurity> identity) throws IOException {
    if (config.caFile().isPresent() && identity.isPresent()) {
      return identity.get().channelCredentials(config.address().host());
    }
    if (config.caFile().isPresent()) {
      return TlsChannelCredentials.newBuilder()
          .trustManager(config.caFile().get().toFile())
          .build();
    }
    if (!config.address().isLoopback()) {
      throw new IllegalArgumentException(
          "the control plane "
              + config.address()
              + " is not on loopback: give its CA certificate (--control-plane-ca) so the join"
              + " token travels over TLS");
    }
    return InsecureChannelCredentials.create();
  }
}
