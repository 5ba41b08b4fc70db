package io.catena.mgmtd;

import io.catena.mgmtd.cluster.MgmtdSettings;

/**
 * One mgmtd instance: its id, where it listens, the address others reach it by (a DNS name works:
 * clients re-resolve it), and the KvEngine holding the cluster state (shared by every instance).
 */
public record MgmtdConfig(
    String id,
    String listenHost,
    int port,
    String advertiseHost,
    String kvUri,
    MgmtdSettings settings) {

  public MgmtdConfig {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("mgmtd needs an id");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
    if (kvUri == null || kvUri.isBlank()) {
      throw new IllegalArgumentException(
          "mgmtd needs a KvEngine URI (rocksdb:/dir, fdb:/cluster-file, ...)");
    }
  }
}
