package io.catena.installer.cluster;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code catena status|nodes|chains|targets} share: finding the cluster, printing. */
abstract class ClusterReadCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      defaultValue = "catena-data",
      description = "The local cluster's data directory (default: ./${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--control-plane",
      description = "HOST:PORT of a control plane (instead of the one of --data).")
  String controlPlane;

  @Option(names = "--json", description = "Print the answer as JSON.")
  boolean json;

  @Override
  public final Integer call() {
    try (ClusterClient client = ClusterClient.connect(data, controlPlane)) {
      PrintWriter out = spec.commandLine().getOut();
      try {
        print(client, out);
      } catch (StatusRuntimeException e) {
        throw ClusterClient.explain(client.endpoint(), e);
      }
      out.flush();
      return 0;
    }
  }

  abstract void print(ClusterClient client, PrintWriter out);
}
