package io.catena.installer.bench;

import io.catena.client.CatenaClient;
import io.catena.client.CatenaClientConfig;
import io.catena.protocol.security.TransportSecurity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that point a bench command's client at a running cluster, as a picocli mixin. */
final class ClusterClientOptions {

  @Option(names = "--mgmtd", required = true, description = "HOST:PORT[,HOST:PORT...] of mgmtd.")
  String mgmtd;

  @Option(names = "--meta", required = true, description = "HOST:PORT of a meta server.")
  String meta;

  @Option(names = "--token-file", required = true, description = "A file holding a tenant token.")
  Path tokenFile;

  @Option(
      names = "--ca",
      description =
          "The cluster CA certificate (a TLS cluster: catena up prints it); without it the client"
              + " speaks plain text, loopback only.")
  Path ca;

  /**
   * Fails with one clear line (bad input) before anything connects when the token is unreadable.
   */
  void check() {
    if (!Files.isReadable(tokenFile)) {
      throw new IllegalArgumentException("cannot read the token file " + tokenFile);
    }
  }

  CatenaClient connect() throws IOException {
    check();
    String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    List<String> mgmtdEndpoints =
        Arrays.stream(mgmtd.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    CatenaClientConfig config = CatenaClientConfig.of(mgmtdEndpoints, meta, token);
    if (ca != null) {
      config = config.withTransport(TransportSecurity.trusting(ca));
    }
    return CatenaClient.connect(config);
  }
}
