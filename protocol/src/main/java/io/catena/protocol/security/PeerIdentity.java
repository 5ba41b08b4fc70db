package io.catena.protocol.security;

import io.grpc.Context;
import java.net.URI;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a certificate of the cluster CA names: a role and a name, carried as the URI subject
 * alternative name {@code catena://ROLE/NAME} (for example {@code catena://node/node-2}). Servers
 * read it from the caller's certificate after the TLS handshake has verified the chain.
 */
public record PeerIdentity(Role role, String name) {

  /** The caller of the gRPC call in progress, set by {@link CallerInterceptor}; absent if none. */
  public static final Context.Key<PeerIdentity> CALLER = Context.key("catena-peer-identity");

  static final String SCHEME = "catena";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final int SAN_URI = 6;

  /** What a certificate lets its holder do. */
  public enum Role {
    /** A node: its agent and every daemon the agent runs there (storage peers, heartbeats). */
    NODE("node"),
    /** The control plane: drives agents and calls the daemons' admin RPCs. */
    CONTROL_PLANE("control-plane"),
    /** An operator's certificate with the control plane's rights on the daemons' admin RPCs. */
    ADMIN("admin");

    private final String id;

    Role(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    static Optional<Role> of(String id) {
      for (Role r : values()) {
        if (r.id.equals(id)) {
          return Optional.of(r);
        }
      }
      return Optional.empty();
    }
  }

  public PeerIdentity {
    if (role == null) {
      throw new IllegalArgumentException("a peer identity needs a role");
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a peer identity's name is 1-128 letters, digits, '.', '_' or '-', not '" + name + "'");
    }
  }

  public static PeerIdentity node(String name) {
    return new PeerIdentity(Role.NODE, name);
  }

  public static PeerIdentity controlPlane(String name) {
    return new PeerIdentity(Role.CONTROL_PLANE, name);
  }

  public static PeerIdentity admin(String name) {
    return new PeerIdentity(Role.ADMIN, name);
  }

  /** The caller of the current call, if it presented a certificate of the cluster CA. */
  public static Optional<PeerIdentity> caller() {
    return Optional.ofNullable(CALLER.get());
  }

  public String uri() {
    return SCHEME + "://" + role.id() + "/" + name;
  }

  /** Parses {@code catena://ROLE/NAME}; empty for any other URI. */
  public static Optional<PeerIdentity> parse(String uri) {
    URI u;
    try {
      u = URI.create(uri);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!SCHEME.equals(u.getScheme()) || u.getHost() == null || u.getPath() == null) {
      return Optional.empty();
    }
    String name = u.getPath().startsWith("/") ? u.getPath().substring(1) : u.getPath();
    if (!NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Role.of(u.getHost()).map(r -> new PeerIdentity(r, name));
  }

  /** The identity a (verified) certificate names, if it names exactly one. */
  public static Optional<PeerIdentity> of(X509Certificate cert) {
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (sans == null) {
      return Optional.empty();
    }
    List<PeerIdentity> found =
        sans.stream()
            .filter(san -> san.size() == 2 && Integer.valueOf(SAN_URI).equals(san.get(0)))
            .map(san -> parse(String.valueOf(san.get(1))))
            .flatMap(Optional::stream)
            .toList();
    return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
  }

  @Override
  public String toString() {
    return uri();
  }
}
