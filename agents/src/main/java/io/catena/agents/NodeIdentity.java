package io.catena.agents;

import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.security.CertificateRequests;
import io.catena.protocol.security.Pem;
import io.catena.protocol.security.SecretFiles;
import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The node's certificate from the cluster CA, kept under {@code ROOT/tls} ({@code node.crt}, {@code
 * node.key} mode 0600 from creation, {@code ca.crt}). The key is made here and never leaves the
 * node: the control plane receives only a certificate request. The daemons the agent runs read the
 * same files ({@code CATENA_TLS_DIR}) and pick up a renewed certificate within a minute.
 */
final class NodeIdentity {

  private final TlsIdentityFiles files;
  private KeyPair pending;

  NodeIdentity(AgentLayout layout) {
    this.files = TlsIdentityFiles.in(layout.tlsDir());
  }

  TlsIdentityFiles files() {
    return files;
  }

  boolean present() {
    return files.present();
  }

  /** The node's transport security; only when {@link #present}. */
  TransportSecurity transport() {
    return TransportSecurity.tls(files);
  }

  /** A fresh key and a request for it; the key is kept until {@link #store}. */
  synchronized String newRequest(String commonName) {
    pending = CertificateRequests.newKeyPair();
    return CertificateRequests.requestPem(pending, commonName);
  }

  /**
   * Stores the certificate a join or renewal issued for the pending key. The key is written before
   * the certificate: a reader that sees the new certificate sees its key too.
   */
  synchronized void store(JoinReply reply) throws IOException {
    if (pending == null || reply.getCertChainPem().isEmpty()) {
      throw new IllegalStateException("the control plane issued no certificate");
    }
    X509Certificate cert = Pem.certificates(reply.getCertChainPem()).getFirst();
    if (!cert.getPublicKey().equals(pending.getPublic())) {
      throw new IllegalStateException(
          "the control plane's certificate is not for the key this node asked with");
    }
    SecretFiles.writePublic(files.ca(), reply.getCaCertPem());
    SecretFiles.writeSecret(files.key(), Pem.encode(pending.getPrivate()));
    SecretFiles.writePublic(files.certificate(), reply.getCertChainPem());
    pending = null;
  }

  /** When the current certificate should be renewed: two thirds into its validity. */
  Optional<Instant> renewAt() throws IOException {
    if (!Files.isReadable(files.certificate())) {
      return Optional.empty();
    }
    X509Certificate cert = Pem.certificates(Files.readString(files.certificate())).getFirst();
    Instant from = cert.getNotBefore().toInstant();
    Instant to = cert.getNotAfter().toInstant();
    return Optional.of(from.plus(Duration.between(from, to).multipliedBy(2).dividedBy(3)));
  }
}
