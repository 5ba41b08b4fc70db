package io.catena.controlplane.security;

import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issues node certificates from the cluster CA: for the node name the control plane decided, for
 * the addresses the node serves on (its agent endpoint's host and its host name, plus loopback so
 * the node's own daemons can reach each other by 127.0.0.1), from the agent's certificate request.
 */
public final class NodeCertificates {

  /** How long a node certificate is valid; agents renew at two thirds of it. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

  private final CertificateAuthority ca;
  private final Duration validity;

  public NodeCertificates(CertificateAuthority ca, Duration validity) {
    this.ca = ca;
    this.validity = validity;
  }

  /** A certificate and the CA's certificate, both PEM. */
  public record Issued(String certificatePem, String caPem) {}

  public Issued issue(String nodeName, String csrPem, List<String> hosts) {
    List<String> names = new ArrayList<>(hosts);
    names.add("127.0.0.1");
    names.add("localhost");
    X509Certificate cert =
        ca.sign(Pem.certificationRequest(csrPem), PeerIdentity.node(nodeName), names, validity);
    return new Issued(Pem.encode(cert), ca.certificatePem());
  }

  public String caPem() {
    return ca.certificatePem();
  }
}
