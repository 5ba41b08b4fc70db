package io.catena.agents;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the control plane is, the token that lets this node join, the CA to verify the control
 * plane with (required unless it is on loopback), and how long to keep trying to reach it.
 */
public record ControlPlaneConfig(
    HostPort address, String joinToken, Optional<Path> caFile, Duration joinTimeout) {

  public ControlPlaneConfig {
    if (joinToken == null || joinToken.isBlank()) {
      throw new IllegalArgumentException("a join token is required to join the control plane");
    }
    if (caFile.isEmpty() && !address.isLoopback()) {
      throw new IllegalArgumentException(
          "the control plane "
              + address
              + " is not on loopback: give its CA certificate (--control-plane-ca) so the join"
              + " token travels over TLS");
    }
    caFile.ifPresent(
        f -> {
          if (!java.nio.file.Files.isReadable(f)) {
            throw new IllegalArgumentException("control plane CA file " + f + " is not readable");
          }
        });
  }
}
