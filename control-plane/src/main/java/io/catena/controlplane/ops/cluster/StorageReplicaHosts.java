package io.catena.controlplane.ops.cluster;

import io.catena.protocol.security.TransportSecurity;
import io.catena.protocol.storage.CreateTargetRequest;
import io.catena.protocol.storage.CreateTargetResponse;
import io.catena.protocol.storage.OfflineTargetRequest;
import io.catena.protocol.storage.OfflineTargetResponse;
import io.catena.protocol.storage.RemoveTargetRequest;
import io.catena.protocol.storage.RemoveTargetResponse;
import io.catena.protocol.storage.StorageAdminServiceGrpc;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.TargetStatsRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link ReplicaHosts} over the storage daemons' StorageAdminService. Storage daemons joined to
 * mgmtd ({@code catena daemon storage}) create every target mgmtd places on their node once it is
 * in a chain, in their own disk layout: for them, {@link #daemonCreated()} leaves creation to the
 * daemon and only deletes retired targets. {@link #withDirectories} creates targets itself, for
 * daemons that do not follow assignments.
 */
public final class StorageReplicaHosts implements ReplicaHosts, AutoCloseable {

  /** Where a node keeps a target's directory. */
  @FunctionalInterface
  public interface TargetDirectories {
    Path directory(int nodeId, long targetId);
  }

  private final TargetDirectories directories;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  private final TransportSecurity transport;

  private StorageReplicaHosts(TargetDirectories directories) {
    this(directories, TransportSecurity.plaintext());
  }

  private StorageReplicaHosts(TargetDirectories directories, TransportSecurity transport) {
    this.transport = transport;
    this.directories = directories;
  }

  /** For daemons that create assigned targets themselves. */
  public static StorageReplicaHosts daemonCreated() {
    return new StorageReplicaHosts(null);
  }

  /** For daemons that create assigned targets themselves, reached over {@code transport}. */
  public static StorageReplicaHosts daemonCreated(TransportSecurity transport) {
    return new StorageReplicaHosts(null, transport);
  }

  /** Creates targets through the admin API, in these directories. */
  public static StorageReplicaHosts withDirectories(TargetDirectories directories) {
    return new StorageReplicaHosts(directories);
  }

  private StorageAdminServiceGrpc.StorageAdminServiceBlockingStub stub(String address) {
    ManagedChannel channel =
        channels.computeIfAbsent(
            address, a -> Grpc.newChannelBuilder(a, transport.channelCredentials(a)).build());
    return StorageAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Override
  public void createTarget(String address, int nodeId, long targetId, int chainId) {
    if (directories == null) {
      return; // the daemon creates it when routing shows it in the chain
    }
    CreateTargetResponse r;
    try {
      r =
          stub(address)
              .createTarget(
                  CreateTargetRequest.newBuilder()
                      .setTargetId(targetId)
                      .setChainId(chainId)
                      .setDirectory(directories.directory(nodeId, targetId).toString())
                      .build());
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(
          "cannot create target " + targetId + " on " + address + ": " + e.getStatus(), e);
    }
    if (r.hasError() && !r.getError().getMessage().contains("already")) {
      throw new IllegalStateException(
          "storage daemon "
              + address
              + " refused target "
              + targetId
              + ": "
              + r.getError().getMessage());
    }
  }

  @Override
  public void removeTarget(String address, long targetId) {
    RemoveTargetResponse r;
    try {
      // a daemon deletes only a target that it has taken offline itself
      OfflineTargetResponse offline =
          stub(address)
              .offlineTarget(OfflineTargetRequest.newBuilder().setTargetId(targetId).build());
      if (offline.hasError()) {
        throw new IllegalStateException(
            "storage daemon "
                + address
                + " could not take target "
                + targetId
                + " offline: "
                + offline.getError().getMessage());
      }
      r =
          stub(address)
              .removeTarget(RemoveTargetRequest.newBuilder().setTargetId(targetId).build());
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(
          "cannot remove target " + targetId + " on " + address + ": " + e.getStatus(), e);
    }
    if (r.hasError()) {
      throw new IllegalStateException(
          "storage daemon "
              + address
              + " could not remove target "
              + targetId
              + ": "
              + r.getError().getMessage());
    }
  }

  @Override
  public boolean serves(String address, long targetId) {
    try {
      return StorageServiceGrpc.newBlockingStub(
              channels.computeIfAbsent(
                  address, a -> Grpc.newChannelBuilder(a, transport.channelCredentials(a)).build()))
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .targetStats(TargetStatsRequest.getDefaultInstance())
          .getTargetsList()
          .stream()
          .anyMatch(t -> t.getTargetId() == targetId);
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(
          "cannot ask " + address + " for its targets: " + e.getStatus(), e);
    }
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
