package io.catena.protocol.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses, asked afresh on every (re)connect: behind a Kubernetes headless
 * service an mgmtd's address changes when its pod moves, and the name is the stable part.
 */
@FunctionalInterface
public interface AddressResolver {

  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The system resolver (no caching beyond the JVM's own DNS cache settings). */
  static AddressResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
