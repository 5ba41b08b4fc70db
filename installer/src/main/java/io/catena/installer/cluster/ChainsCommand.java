package io.catena.installer.cluster;

import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.ListChainsReply;
import io.catena.protocol.controlplane.ListRequest;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code catena chains}: every chain, head first, with its members' states. */
@Command(
    name = "chains",
    description = "List the chains (head first) and the state of each replica.",
    mixinStandardHelpOptions = true)
public final class ChainsCommand extends ClusterReadCommand {

  @Override
  void print(ClusterClient client, PrintWriter out) {
    ListChainsReply reply = client.stub().listChains(ListRequest.getDefaultInstance());
    if (json) {
      out.println(ClusterClient.json(reply));
      return;
    }
    out.printf("%-6s %-8s %-6s %s%n", "CHAIN", "VERSION", "TABLE", "TARGETS (head first)");
    for (ChainInfo c : reply.getChainsList()) {
      String members =
          c.getTargetsList().stream()
              .map(t -> t.getTargetId() + "@" + t.getNode() + ":" + t.getPublicState())
              .collect(Collectors.joining(" -> "));
      out.printf(
          "%-6d %-8d %-6d %s%n", c.getChainId(), c.getVersion(), c.getChainTableId(), members);
    }
  }
}
