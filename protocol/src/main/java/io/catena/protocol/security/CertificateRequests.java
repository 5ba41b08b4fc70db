package io.catena.protocol.security;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Key pairs and PKCS#10 requests for the cluster CA. The private key never leaves the machine that
 * made it: a joining agent sends only the request, whose signature proves it holds the key.
 */
public final class CertificateRequests {

  static final String SIGNATURE = "SHA256withECDSA";

  private CertificateRequests() {}

  /** A new P-256 key pair (small keys, fast handshakes, supported by every TLS stack we use). */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make P-256 keys: " + e.getMessage(), e);
    }
  }

  /** A request for a certificate naming {@code commonName}, signed with {@code keys}. */
  public static PKCS10CertificationRequest request(KeyPair keys, String commonName) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(
              new X500Name("CN=" + commonName), keys.getPublic())
          .build(new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a certificate request: " + e.getMessage(), e);
    }
  }

  /** {@link #request} as PEM text. */
  public static String requestPem(KeyPair keys, String commonName) {
    return Pem.encode(request(keys, commonName));
  }
}
