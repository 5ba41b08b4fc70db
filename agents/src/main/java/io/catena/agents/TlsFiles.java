package io.catena.agents;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * PEM files for serving NodeAgent with TLS: the agent's certificate chain and private key (PKCS#8),
 * and optionally a CA whose client certificates are then required (mutual TLS).
 */
public record TlsFiles(Path certChain, Path privateKey, Optional<Path> clientCa) {

  public TlsFiles {
    for (Path p :
        clientCa
            .map(ca -> new Path[] {certChain, privateKey, ca})
            .orElse(new Path[] {certChain, privateKey})) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException("TLS file " + p + " does not exist or is not readable");
      }
    }
  }

  ServerCredentials serverCredentials() throws IOException {
    TlsServerCredentials.Builder builder =
        TlsServerCredentials.newBuilder().keyManager(certChain.toFile(), privateKey.toFile());
    if (clientCa.isPresent()) {
      builder
          .trustManager(clientCa.get().toFile())
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return builder.build();
  }

  /** The files a join reply issued, if a previous join stored them under the agent's root. */
  static Optional<TlsFiles> stored(AgentLayout layout) {
    Path dir = layout.tlsDir();
    Path cert = dir.resolve("agent.crt");
    Path key = dir.resolve("agent.key");
    Path ca = dir.resolve("ca.crt");
    if (!Files.isReadable(cert) || !Files.isReadable(key)) {
      return Optional.empty();
    }
    return Optional.of(
        new TlsFiles(cert, key, Files.isReadable(ca) ? Optional.of(ca) : Optional.empty()));
  }

  /** Stores material issued at join under root/tls (the key readable by the agent's user only). */
  static TlsFiles store(AgentLayout layout, String certPem, String keyPem, String caPem)
      throws IOException {
    Path dir = layout.tlsDir();
    Files.createDirectories(dir);
    Path key = dir.resolve("agent.key");
    AgentLayout.writeAtomically(key, keyPem);
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing more to restrict
    }
    Path cert = dir.resolve("agent.crt");
    AgentLayout.writeAtomically(cert, certPem);
    Optional<Path> ca = Optional.empty();
    if (!caPem.isBlank()) {
      Path caFile = dir.resolve("ca.crt");
      AgentLayout.writeAtomically(caFile, caPem);
      ca = Optional.of(caFile);
    }
    return new TlsFiles(cert, key, ca);
  }
}
