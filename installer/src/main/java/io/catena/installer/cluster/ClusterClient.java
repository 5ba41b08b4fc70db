package io.catena.installer.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's connection to a running control plane, found from a data directory ({@code
 * DIR/control-plane/control-plane.properties}) or given as HOST:PORT; mutations carry the admin
 * token from {@code DIR/control-plane/admin.token} when it is readable.
 */
final class ClusterClient implements AutoCloseable {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String endpoint;
  private final ManagedChannel channel;
  private final String adminToken;

  private ClusterClient(String endpoint, String adminToken, TransportSecurity transport) {
    this.endpoint = endpoint;
    this.adminToken = adminToken;
    this.channel = Grpc.newChannelBuilder(endpoint, transport.channelCredentials(endpoint)).build();
  }

  /** A client for the control plane of {@code dataDir}, or of {@code endpoint} when given. */
  static ClusterClient connect(Path dataDir, String endpoint) {
    LocalCluster cluster = new LocalCluster(dataDir);
    String token = null;
    Path tokenFile = cluster.controlPlaneDir().resolve("admin.token");
    if (Files.isReadable(tokenFile)) {
      try {
        token = Files.readString(tokenFile).strip();
      } catch (IOException e) {
        token = null;
      }
    }
    TransportSecurity transport = ControlPlaneWire.forState(cluster.controlPlaneDir());
    if (endpoint != null) {
      return new ClusterClient(endpoint, token, transport);
    }
    ControlPlaneInfo info =
        cluster
            .controlPlane()
            .filter(i -> i.process().isPresent())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no cluster is running in "
                            + cluster.dir()
                            + " (start one with 'catena up', or give --control-plane HOST:PORT)"));
    return new ClusterClient(info.endpoint(), token, transport);
  }

  String endpoint() {
    return endpoint;
  }

  ControlPlaneGrpc.ControlPlaneBlockingStub stub() {
    ControlPlaneGrpc.ControlPlaneBlockingStub stub =
        ControlPlaneGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    if (adminToken != null) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + adminToken);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return stub;
  }

  /** A call's failure as one line: the control plane's message, or why it was unreachable. */
  static RuntimeException explain(String endpoint, StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return switch (e.getStatus().getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED ->
          new IllegalStateException(
              "the control plane at "
                  + endpoint
                  + " does not answer ("
                  + e.getStatus().getCode()
                  + ")");
      case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS ->
          new IllegalArgumentException(
              description == null ? e.getStatus().toString() : description);
      default ->
          new IllegalStateException(description == null ? e.getStatus().toString() : description);
    };
  }

  static String json(MessageOrBuilder message) {
    try {
      return JsonFormat.printer()
          .alwaysPrintFieldsWithNoPresence()
          .omittingInsignificantWhitespace()
          .print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
