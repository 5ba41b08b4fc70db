package io.catena.installer.hosts;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.GetStatusRequest;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads a control plane's status or chains as JSON, verifying it against the cluster CA: {@code
 * ControlPlaneProbe HOST:PORT CA_FILE|- status|chains}. Run inside a host by the hosts tests:
 * {@code catena status --control-plane} takes the CA only from a local {@code --data} directory.
 */
public final class ControlPlaneProbe {

  private ControlPlaneProbe() {}

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    var credentials =
        args[1].equals("-")
            ? InsecureChannelCredentials.create()
            : TransportSecurity.trusting(Path.of(args[1]))
                .channelCredentials(endpoint.substring(0, endpoint.lastIndexOf(':')));
    ManagedChannel channel = Grpc.newChannelBuilder(endpoint, credentials).build();
    try {
      var stub = ControlPlaneGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
      MessageOrBuilder answer =
          switch (args[2]) {
            case "status" -> stub.getStatus(GetStatusRequest.getDefaultInstance());
            case "chains" -> stub.listChains(ListRequest.getDefaultInstance());
            default -> throw new IllegalArgumentException("status or chains, not " + args[2]);
          };
      System.out.println(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(answer));
    } catch (io.grpc.StatusRuntimeException e) {
      System.err.println("control plane " + endpoint + ": " + e.getStatus());
      System.exit(1);
    } finally {
      channel.shutdownNow();
    }
  }
}
