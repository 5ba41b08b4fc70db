package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.ClusterDriver;
import io.catena.controlplane.driver.DaemonDeployment;
import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.driver.DaemonObservation;
import io.catena.controlplane.driver.DaemonObservation.State;
import io.catena.controlplane.driver.JoinedNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A driver over imaginary nodes: deployments start STARTING; a test makes them healthy. */
public final class FakeDriver implements ClusterDriver {

  final Map<String, JoinedNode> joined = new LinkedHashMap<>();
  final Map<String, Map<String, DaemonObservation>> daemons = new LinkedHashMap<>();
  final Map<String, DaemonDeployment> deployed = new LinkedHashMap<>();
  final List<String> prepared = new ArrayList<>();
  public final List<String> calls = new ArrayList<>();
  Set<DaemonKind> kinds = EnumSet.of(DaemonKind.MGMTD, DaemonKind.META, DaemonKind.STORAGE);

  void join(String node) {
    joined.put(
        node,
        new JoinedNode(
            node,
            "127.0.0.1:1" + joined.size(),
            Map.of(),
            List.of(new JoinedNode.DiskFact("/", 400L << 30, 200L << 30))));
  }

  /** Makes every deployed daemon (of a kind, or all) healthy. */
  void makeHealthy(DaemonKind kind) {
    daemons
        .values()
        .forEach(
            m ->
                m.replaceAll(
                    (n, d) -> kind == null || d.kind() == kind ? with(d, State.HEALTHY) : d));
  }

  private static DaemonObservation with(DaemonObservation d, State state) {
    return new DaemonObservation(d.name(), d.kind(), state, 100, "", 0, 1, "");
  }

  @Override
  public List<JoinedNode> nodes() {
    return new ArrayList<>(joined.values());
  }

  @Override
  public Set<DaemonKind> availableKinds() {
    return kinds;
  }

  @Override
  public DaemonObservation observe(String node, String daemonName) {
    DaemonObservation d = daemons.getOrDefault(node, Map.of()).get(daemonName);
    return d != null ? d : DaemonObservation.absent(daemonName, DaemonKind.STORAGE);
  }

  @Override
  public List<DaemonObservation> observeAll(String node) {
    return new ArrayList<>(daemons.getOrDefault(node, Map.of()).values());
  }

  @Override
  public DaemonObservation ensureRunning(String node, DaemonDeployment deployment) {
    if (!joined.containsKey(node)) {
      throw new io.catena.controlplane.driver.DriverException("node " + node + " has not joined");
    }
    Map<String, DaemonObservation> onNode =
        daemons.computeIfAbsent(node, n -> new LinkedHashMap<>());
    DaemonObservation d = onNode.get(deployment.name());
    if (d == null || d.state() == State.NOT_RUNNING) {
      calls.add("start " + node + "/" + deployment.name());
      deployed.put(node + "/" + deployment.name(), deployment);
      d =
          new DaemonObservation(
              deployment.name(), deployment.kind(), State.STARTING, 1, "", 0, 0, "");
      onNode.put(deployment.name(), d);
    }
    return d;
  }

  @Override
  public DaemonObservation act(String node, String daemonName, DaemonAction action) {
    DaemonObservation d = observe(node, daemonName);
    if (d.state() == State.ABSENT) {
      throw new IllegalArgumentException("no daemon '" + daemonName + "' on node " + node);
    }
    calls.add(action + " " + node + "/" + daemonName);
    DaemonObservation after =
        with(d, action == DaemonAction.STOP ? State.NOT_RUNNING : State.STARTING);
    daemons.get(node).put(daemonName, after);
    return after;
  }

  @Override
  public void prepareTargets(String node, String diskPath, List<String> targetIds) {
    prepared.add(node + ":" + diskPath + ":" + targetIds.size());
  }
}
