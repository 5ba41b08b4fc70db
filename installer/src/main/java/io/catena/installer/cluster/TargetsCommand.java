package io.catena.installer.cluster;

import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.ListTargetsReply;
import io.catena.protocol.controlplane.TargetInfo;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code catena targets}: every target, its node, chain, states and space. */
@Command(
    name = "targets",
    description = "List the storage targets with their node, chain, states and space.",
    mixinStandardHelpOptions = true)
public final class TargetsCommand extends ClusterReadCommand {

  @Override
  void print(ClusterClient client, PrintWriter out) {
    ListTargetsReply reply = client.stub().listTargets(ListRequest.getDefaultInstance());
    if (json) {
      out.println(ClusterClient.json(reply));
      return;
    }
    out.printf(
        "%-12s %-8s %-6s %-8s %-9s %s%n",
        "TARGET", "NODE", "CHAIN", "PUBLIC", "LOCAL", "USED / CAPACITY");
    for (TargetInfo t : reply.getTargetsList()) {
      out.printf(
          "%-12d %-8s %-6s %-8s %-9s %s / %s%n",
          t.getTargetId(),
          t.getNode(),
          t.getChainId() == 0 ? "-" : Integer.toString(t.getChainId()),
          t.getPublicState(),
          t.getLocalState(),
          StatusCommand.human(t.getUsedBytes()),
          StatusCommand.human(t.getCapacityBytes()));
    }
  }
}
