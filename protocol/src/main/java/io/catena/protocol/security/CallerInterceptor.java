package io.catena.protocol.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Knows who calls: puts the identity of the caller's certificate (verified by the TLS handshake
 * against the cluster CA) into {@link PeerIdentity#CALLER}, and refuses the calls its rules reserve
 * for some roles when the caller holds none of them. Calls without a rule (the data path, which
 * checks a tenant token instead) pass.
 *
 * <p>On a plain-text listener, which exists only on loopback and only when asked for, there is no
 * certificate to check: every caller on the machine is trusted, as before TLS.
 */
public final class CallerInterceptor implements ServerInterceptor {

  private final Map<String, Set<PeerIdentity.Role>> rules;

  private CallerInterceptor(Map<String, Set<PeerIdentity.Role>> rules) {
    this.rules = Map.copyOf(rules);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Which roles may call which methods. */
  public static final class Builder {
    private final Map<String, Set<PeerIdentity.Role>> rules = new HashMap<>();

    private Builder() {}

    /** Only callers with one of {@code roles} may call {@code method}. */
    public Builder require(MethodDescriptor<?, ?> method, PeerIdentity.Role... roles) {
      rules.put(method.getFullMethodName(), roleSet(roles));
      return this;
    }

    /** Only callers with one of {@code roles} may call any method of {@code service}. */
    public Builder require(ServiceDescriptor service, PeerIdentity.Role... roles) {
      for (MethodDescriptor<?, ?> m : service.getMethods()) {
        require(m, roles);
      }
      return this;
    }

    public CallerInterceptor build() {
      return new CallerInterceptor(rules);
    }

    private static Set<PeerIdentity.Role> roleSet(PeerIdentity.Role... roles) {
      if (roles.length == 0) {
        throw new IllegalArgumentException("a rule names at least one role");
      }
      return EnumSet.of(roles[0], roles);
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    Optional<PeerIdentity> caller = session == null ? Optional.empty() : identity(session);
    Set<PeerIdentity.Role> allowed = rules.get(call.getMethodDescriptor().getFullMethodName());
    if (allowed != null && session != null) {
      Status refusal = null;
      if (caller.isEmpty()) {
        refusal =
            Status.UNAUTHENTICATED.withDescription(
                call.getMethodDescriptor().getFullMethodName()
                    + " needs a certificate of the cluster CA ("
                    + names(allowed)
                    + "); the caller presented none");
      } else if (!allowed.contains(caller.get().role())) {
        refusal =
            Status.PERMISSION_DENIED.withDescription(
                call.getMethodDescriptor().getFullMethodName()
                    + " is for "
                    + names(allowed)
                    + ", not "
                    + caller.get());
      }
      if (refusal != null) {
        call.close(refusal, new Metadata());
        return new ServerCall.Listener<>() {};
      }
    }
    if (caller.isEmpty()) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(
        Context.current().withValue(PeerIdentity.CALLER, caller.get()), call, headers, next);
  }

  static Optional<PeerIdentity> identity(SSLSession session) {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    return PeerIdentity.of(leaf);
  }

  private static String names(Set<PeerIdentity.Role> roles) {
    return roles.stream().map(r -> "role " + r.id()).collect(Collectors.joining(" or "));
  }
}
