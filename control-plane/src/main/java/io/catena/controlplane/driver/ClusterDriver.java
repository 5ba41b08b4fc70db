package io.catena.controlplane.driver;

import java.util.List;
import java.util.Set;

/**
 * How the reconciler acts on machines: node agents now ({@link AgentDriver}), Kubernetes later.
 * Every call is idempotent and returns promptly (no waiting for a daemon to become healthy: the
 * reconciler observes again on its next pass). Failures to reach a node are {@link
 * DriverException}s.
 */
public interface ClusterDriver {

  /** The nodes that can run daemons now (joined agents; pods' nodes). */
  List<JoinedNode> nodes();

  /** The daemon kinds this distribution can run; steps for others report that they are skipped. */
  Set<DaemonKind> availableKinds();

  /** The daemon's state on a node, or ABSENT. */
  DaemonObservation observe(String node, String daemonName);

  /** Every daemon deployed on a node. */
  List<DaemonObservation> observeAll(String node);

  /**
   * Makes the daemon deployed and running with this deployment: deploys when absent, starts when
   * stopped, leaves a running one alone. Returns what it sees after acting.
   */
  DaemonObservation ensureRunning(String node, DaemonDeployment deployment);

  /** Starts, stops (gracefully) or restarts a deployed daemon; returns what it sees after. */
  DaemonObservation act(String node, String daemonName, DaemonAction action);

  /** Creates the target directories on a disk of a node (never empties one). */
  void prepareTargets(String node, String diskPath, List<String> targetIds);

  /** What {@link #act} does. */
  enum DaemonAction {
    START,
    STOP,
    RESTART
  }
}
