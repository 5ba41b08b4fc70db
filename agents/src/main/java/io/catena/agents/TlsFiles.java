package io.catena.agents;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
