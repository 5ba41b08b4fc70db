package io.catena.storage.server;

import io.catena.protocol.security.CallerInterceptor;
import io.catena.protocol.security.PeerIdentity.Role;
import io.catena.protocol.storage.StorageAdminServiceGrpc;
import io.catena.protocol.storage.StorageServiceGrpc;

/**
 * Who may call what on a storage daemon's TLS listener. Chain replication (Update, the sync calls)
 * and chunk listing come only from storage nodes of the cluster; target administration only from
 * the control plane or an admin. Client calls (Write, Read, BatchRead, Remove) carry a tenant token
 * that the request authorizer checks instead.
 */
final class StorageCallers {

  static final CallerInterceptor RULES =
      CallerInterceptor.builder()
          .require(StorageServiceGrpc.getUpdateMethod(), Role.NODE)
          .require(StorageServiceGrpc.getSyncStartMethod(), Role.NODE)
          .require(StorageServiceGrpc.getSyncDumpMethod(), Role.NODE)
          .require(StorageServiceGrpc.getSyncDoneMethod(), Role.NODE)
          .require(
              StorageServiceGrpc.getQueryChunksMethod(), Role.NODE, Role.CONTROL_PLANE, Role.ADMIN)
          .require(
              StorageServiceGrpc.getTargetStatsMethod(), Role.NODE, Role.CONTROL_PLANE, Role.ADMIN)
          .require(StorageAdminServiceGrpc.getServiceDescriptor(), Role.CONTROL_PLANE, Role.ADMIN)
          .build();

  private StorageCallers() {}
}
