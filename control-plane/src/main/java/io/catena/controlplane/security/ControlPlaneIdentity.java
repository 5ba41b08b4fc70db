package io.catena.controlplane.security;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The names the control plane's own certificate covers: the address it listens on, or every address
 * of the machine when it listens on all of them, plus its host name and loopback. It is issued
 * afresh at each start, valid for {@link #VALIDITY}.
 */
public final class ControlPlaneIdentity {

  public static final Duration VALIDITY = Duration.ofDays(365);

  private ControlPlaneIdentity() {}

  public static List<String> hosts(String listenHost) {
    List<String> hosts = new ArrayList<>(List.of("127.0.0.1", "localhost"));
    if (listenHost.equals("0.0.0.0") || listenHost.equals("::") || listenHost.isBlank()) {
      try {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress a : Collections.list(nic.getInetAddresses())) {
            if (a instanceof java.net.Inet4Address) {
              hosts.add(a.getHostAddress());
            }
          }
        }
      } catch (SocketException e) {
        // no interface list: the loopback names above still hold
      }
    } else {
      hosts.add(listenHost);
    }
    try {
      hosts.add(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      // no host name: addresses only
    }
    return hosts;
  }
}
