package io.catena.installer.cluster;

import io.catena.protocol.controlplane.DaemonInfo;
import io.catena.protocol.controlplane.ListNodesReply;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.NodeInfo;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code catena nodes}: every node, its agent and its daemons. */
@Command(
    name = "nodes",
    description = "List the cluster's nodes, their agents and daemons.",
    mixinStandardHelpOptions = true)
public final class NodesCommand extends ClusterReadCommand {

  @Override
  void print(ClusterClient client, PrintWriter out) {
    ListNodesReply reply = client.stub().listNodes(ListRequest.getDefaultInstance());
    if (json) {
      out.println(ClusterClient.json(reply));
      return;
    }
    out.printf("%-10s %-4s %-8s %-22s %s%n", "NODE", "ID", "STATE", "AGENT", "DAEMONS");
    for (NodeInfo n : reply.getNodesList()) {
      String daemons =
          n.getDaemonsList().stream()
              .map(
                  d -> d.getName() + ":" + d.getState().toLowerCase(java.util.Locale.ROOT) + pid(d))
              .collect(Collectors.joining(" "));
      out.printf(
          "%-10s %-4d %-8s %-22s %s%n",
          n.getName(), n.getNodeId(), n.getState(), n.getAgentEndpoint(), daemons);
    }
  }

  private static String pid(DaemonInfo d) {
    return d.getPid() > 0 ? "(" + d.getPid() + ")" : "";
  }
}
