package io.catena.installer.daemon;

import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a daemon talks on the wire: {@code --tls-dir} (default {@code $CATENA_TLS_DIR}, which the
 * agent sets when it holds a node certificate) holds {@code node.crt}, {@code node.key} and {@code
 * ca.crt}, and the daemon serves and dials mutual TLS; without it the daemon speaks plain gRPC,
 * which is refused for any address off loopback.
 */
public final class WireOptions {

  @Option(
      names = "--tls-dir",
      defaultValue = "${env:CATENA_TLS_DIR}",
      description =
          "Directory with node.crt, node.key and ca.crt from the cluster CA (default:"
              + " $CATENA_TLS_DIR). Without it: plain gRPC, loopback only.")
  Path tlsDir;

  public TransportSecurity transport() {
    return tlsDir == null
        ? TransportSecurity.plaintext()
        : TransportSecurity.tls(TlsIdentityFiles.in(tlsDir));
  }
}
