package io.catena.installer.cluster;

import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.Condition;
import io.catena.protocol.controlplane.GetStatusRequest;
import io.catena.protocol.controlplane.ReconcileStep;
import io.catena.protocol.controlplane.StateCount;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code catena status}: the cluster's conditions, endpoints, counts and reconcile steps. */
@Command(
    name = "status",
    description = "Show the running cluster's status (conditions, endpoints, targets, chains).",
    mixinStandardHelpOptions = true)
public final class StatusCommand extends ClusterReadCommand {

  @Override
  void print(ClusterClient client, PrintWriter out) {
    ClusterStatusReply s = client.stub().getStatus(GetStatusRequest.getDefaultInstance());
    if (json) {
      out.println(ClusterClient.json(s));
      return;
    }
    render(s, client.endpoint(), out);
  }

  static boolean isReady(ClusterStatusReply s) {
    return s.getConditionsList().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  static void render(ClusterStatusReply s, String endpoint, PrintWriter out) {
    for (Condition c : s.getConditionsList()) {
      out.printf("%-12s %-6s %s: %s%n", c.getType(), c.getStatus(), c.getReason(), c.getMessage());
    }
    out.println("control plane  " + endpoint);
    out.println(
        "mgmtd          "
            + String.join(",", s.getMgmtdEndpointsList())
            + (s.getMgmtdPrimary().isEmpty() ? "" : " (primary " + s.getMgmtdPrimary() + ")"));
    out.println("meta           " + s.getMetaEndpoint());
    out.println("nodes          " + s.getNodes());
    out.println("targets        " + counts(s.getTargetsByStateList()));
    out.println("chains         " + counts(s.getChainsByStateList()));
    out.println(
        "capacity       "
            + human(s.getCapacityBytes())
            + " ("
            + human(s.getUsedBytes())
            + " used)");
    for (ReconcileStep step : s.getStepsList()) {
      out.printf("  %-16s %-11s %s%n", step.getName(), step.getOutcome(), step.getMessage());
    }
  }

  private static String counts(java.util.List<StateCount> counts) {
    return counts.isEmpty()
        ? "none"
        : counts.stream()
            .map(c -> c.getState() + " " + c.getCount())
            .collect(Collectors.joining(", "));
  }

  static String human(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
