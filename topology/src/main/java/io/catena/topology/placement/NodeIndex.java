package io.catena.topology.placement;

import io.catena.topology.Node;
import io.catena.topology.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense indexes for a set of nodes and their failure domains, so the placement algorithms work on
 * int arrays. A node without the domain label is a domain of its own.
 */
public final class NodeIndex {
  private final List<NodeId> ids;
  private final Map<NodeId, Integer> index;
  private final int[] domain;
  private final int domainCount;

  public NodeIndex(Collection<Node> nodes, String domainLabel) {
    ids = new ArrayList<>(nodes.size());
    index = new HashMap<>(nodes.size() * 2);
    domain = new int[nodes.size()];
    Map<String, Integer> domains = new HashMap<>();
    int i = 0;
    for (Node node : nodes) {
      ids.add(node.id());
      index.put(node.id(), i);
      String label = domainLabel == null ? null : node.labels().get(domainLabel);
      String key = label == null ? "\u0000node:" + node.id().value() : label;
      Integer d = domains.get(key);
      if (d == null) {
        d = domains.size();
        domains.put(key, d);
      }
      domain[i] = d;
      i++;
    }
    domainCount = domains.size();
  }

  public int size() {
    return ids.size();
  }

  public NodeId id(int i) {
    return ids.get(i);
  }

  /** The node's index, or -1 when it is not in this index. */
  public int indexOf(NodeId id) {
    Integer i = index.get(id);
    return i == null ? -1 : i;
  }

  public int domain(int i) {
    return domain[i];
  }

  public int[] domains() {
    return domain.clone();
  }

  public int domainCount() {
    return domainCount;
  }
}
