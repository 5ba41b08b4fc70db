package io.catena.controlplane.ops.safety;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The order of a rolling restart: the nodes as given, except that the node running the mgmtd
 * primary goes last (one failover at the end instead of one per restart of a standby's node after
 * the primary moved there).
 */
public final class RestartOrder {

  private RestartOrder() {}

  public static List<String> order(List<String> nodes, Predicate<String> hostsPrimary) {
    List<String> rest = new ArrayList<>();
    List<String> primary = new ArrayList<>();
    for (String node : nodes) {
      (hostsPrimary.test(node) ? primary : rest).add(node);
    }
    rest.addAll(primary);
    return List.copyOf(rest);
  }
}
