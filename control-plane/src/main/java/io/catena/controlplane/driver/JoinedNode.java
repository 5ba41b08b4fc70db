package io.catena.controlplane.driver;

import java.util.List;
import java.util.Map;

/**
 * A node whose agent has joined: its name (matched to the spec's node), the agent endpoint, its
 * labels and the disks it reported.
 */
public record JoinedNode(
    String name, String agentEndpoint, Map<String, String> labels, List<DiskFact> disks) {

  public JoinedNode {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    disks = disks == null ? List.of() : List.copyOf(disks);
  }

  /** The host part of the agent endpoint. */
  public String host() {
    int colon = agentEndpoint.lastIndexOf(':');
    return colon > 0 ? agentEndpoint.substring(0, colon) : agentEndpoint;
  }

  /** A disk the agent reported. */
  public record DiskFact(String path, long totalBytes, long freeBytes) {}
}
