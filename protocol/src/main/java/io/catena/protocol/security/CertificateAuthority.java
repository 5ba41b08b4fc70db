package io.catena.protocol.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The cluster's certificate authority: a P-256 key ({@code ca.key}, mode 0600 from creation) and a
 * self-signed certificate ({@code ca.crt}) in one directory of the control plane's state. It signs
 * certificate requests whose signature verifies, naming the identity the control plane decided
 * (never one the requester asked for) and the host names and addresses the holder serves on.
 */
public final class CertificateAuthority {

  public static final String KEY_FILE = "ca.key";
  public static final String CERT_FILE = "ca.crt";

  /** How long the CA itself is valid. */
  static final Duration CA_VALIDITY = Duration.ofDays(3650);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivateKey key;
  private final X509Certificate cert;
  private final Clock clock;

  private CertificateAuthority(PrivateKey key, X509Certificate cert, Clock clock) {
    this.key = key;
    this.cert = cert;
    this.clock = clock;
  }

  /** A new CA in memory only (tests, and the first step of {@link #openOrCreate}). */
  public static CertificateAuthority create(String clusterName, Clock clock) {
    KeyPair keys = CertificateRequests.newKeyPair();
    Instant now = clock.instant();
    X500Name name = new X500Name("CN=catena cluster CA " + clusterName);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(CA_VALIDITY)),
                  name,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(keys.getPrivate(), sign(b, keys.getPrivate()), clock);
    } catch (CertIOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot make the cluster CA: " + e.getMessage(), e);
    }
  }

  /**
   * The CA kept in {@code dir}, made on first use. The key file is written with mode 0600 from its
   * creation and both files appear atomically, so a crash leaves either no CA or a whole one.
   */
  public static CertificateAuthority openOrCreate(Path dir, String clusterName, Clock clock)
      throws IOException {
    Path keyFile = dir.resolve(KEY_FILE);
    Path certFile = dir.resolve(CERT_FILE);
    if (!Files.exists(keyFile)) {
      CertificateAuthority fresh = create(clusterName, clock);
      // The certificate first, the key last: the key file's presence marks a whole CA, so a crash
      // in between makes a fresh one on the next start.
      SecretFiles.writePublic(certFile, Pem.encode(fresh.cert));
      if (SecretFiles.createSecret(keyFile, Pem.encode(fresh.key))) {
        return fresh;
      }
    }
    PrivateKey key = Pem.privateKey(Files.readString(keyFile));
    X509Certificate cert = Pem.certificates(Files.readString(certFile)).getFirst();
    if (!matches(cert.getPublicKey(), key)) {
      throw new IllegalStateException(
          certFile + " is not the certificate of " + keyFile + ": the CA directory is damaged");
    }
    return new CertificateAuthority(key, cert, clock);
  }

  public X509Certificate certificate() {
    return cert;
  }

  public String certificatePem() {
    return Pem.encode(cert);
  }

  /**
   * Signs {@code csr} (after checking its signature) as a certificate for {@code identity}, valid
   * for {@code validity} and for TLS server and client use on {@code hosts} (IP addresses or DNS
   * names).
   */
  public X509Certificate sign(
      PKCS10CertificationRequest csr,
      PeerIdentity identity,
      List<String> hosts,
      Duration validity) {
    PublicKey publicKey;
    try {
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
      if (!csr.isSignatureValid(
          new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
        throw new IllegalArgumentException("the certificate request's signature does not verify");
      }
      publicKey = jca.getPublicKey();
    } catch (PKCSException | OperatorCreationException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the certificate request cannot be read: " + e.getMessage(), e);
    }
    return issue(publicKey, identity, hosts, validity);
  }

  /** A key pair and its certificate, made here (for the control plane itself and for tests). */
  public Issued issue(PeerIdentity identity, List<String> hosts, Duration validity) {
    KeyPair keys = CertificateRequests.newKeyPair();
    return new Issued(issue(keys.getPublic(), identity, hosts, validity), keys.getPrivate());
  }

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey privateKey) {
    public String certificatePem() {
      return Pem.encode(certificate);
    }

    public String privateKeyPem() {
      return Pem.encode(privateKey);
    }

    /** Writes {@code cert}, {@code key} (0600 from creation) and the CA's certificate. */
    public TlsIdentityFiles writeTo(TlsIdentityFiles files, String caPem) throws IOException {
      SecretFiles.writeSecret(files.key(), privateKeyPem());
      SecretFiles.writePublic(files.certificate(), certificatePem());
      SecretFiles.writePublic(files.ca(), caPem);
      return files;
    }
  }

  private X509Certificate issue(
      PublicKey subjectKey, PeerIdentity identity, List<String> hosts, Duration validity) {
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(cert.getNotAfter().toInstant())) {
      notAfter = cert.getNotAfter().toInstant();
    }
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.uri()));
    for (String host : new LinkedHashSet<>(hosts)) {
      if (host == null || host.isBlank()) {
        continue;
      }
      names.add(
          isAddress(host)
              ? new GeneralName(GeneralName.iPAddress, host)
              : new GeneralName(GeneralName.dNSName, host));
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  cert,
                  serial(),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(notAfter),
                  new X500Name("CN=" + identity.name() + ",OU=" + identity.role().id()),
                  subjectKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(subjectKey));
      return sign(b, key);
    } catch (CertIOException | java.security.NoSuchAlgorithmException | CertificateException e) {
      throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder(CertificateRequests.SIGNATURE).build(key)));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  static boolean isAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static boolean matches(PublicKey pub, PrivateKey key) {
    try {
      byte[] probe = "catena-ca-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.security.Signature s =
          java.security.Signature.getInstance(CertificateRequests.SIGNATURE);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(pub);
      s.update(probe);
      return s.verify(sig);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
