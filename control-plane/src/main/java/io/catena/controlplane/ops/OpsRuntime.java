package io.catena.controlplane.ops;

import io.catena.controlplane.ops.cluster.ClusterAdmin;
import io.catena.controlplane.ops.cluster.NodeProvisioner;
import io.catena.controlplane.ops.cluster.NodeRestarter;
import io.catena.controlplane.ops.cluster.ReplicaHosts;
import io.catena.controlplane.ops.grpc.OperationsService;
import io.catena.controlplane.ops.heal.SelfHealer;
import io.catena.controlplane.ops.load.HotSpotMonitor;
import io.catena.controlplane.ops.load.LoadSampler;
import io.catena.controlplane.ops.safety.SelfHealPolicy;
import io.catena.protocol.security.TransportSecurity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The operations side of a control plane, wired: the manager with its planner, audit log (under
 * {@code dataDir}) and event journal, the load sampler and hot-spot monitor, self-healing, and the
 * gRPC service to add to the control plane's server. {@link #start} begins sampling and healing.
 */
public final class OpsRuntime implements AutoCloseable {

  /**
   * Everything the runtime needs.
   *
   * @param provisioner null: scale-out is refused
   * @param restarter null: rolling restart is refused
   * @param sampleInterval how often load is sampled
   * @param healCheckInterval how often self-healing looks for OFFLINE targets
   * @param selfHealingPaused whether self-healing starts paused
   */
  public record Config(
      Path dataDir,
      ClusterAdmin admin,
      ReplicaHosts hosts,
      NodeProvisioner provisioner,
      NodeRestarter restarter,
      OpsSettings settings,
      SelfHealPolicy.Limits selfHealing,
      boolean selfHealingPaused,
      Duration sampleInterval,
      Duration healCheckInterval,
      TransportSecurity transport) {

    /** A configuration whose load sampler dials storage in plain text (loopback clusters). */
    public Config(
        Path dataDir,
        ClusterAdmin admin,
        ReplicaHosts hosts,
        NodeProvisioner provisioner,
        NodeRestarter restarter,
        OpsSettings settings,
        SelfHealPolicy.Limits selfHealing,
        boolean selfHealingPaused,
        Duration sampleInterval,
        Duration healCheckInterval) {
      this(
          dataDir,
          admin,
          hosts,
          provisioner,
          restarter,
          settings,
          selfHealing,
          selfHealingPaused,
          sampleInterval,
          healCheckInterval,
          TransportSecurity.plaintext());
    }
  }

  private final Config config;
  private final AuditLog audit;
  private final OperationStore store;
  private final OperationManager manager;
  private final LoadSampler sampler;
  private final HotSpotMonitor hotSpots;
  private final SelfHealer selfHealer;
  private final OperationsService service;

  public OpsRuntime(Config config, Clock clock) {
    this.config = config;
    this.audit = new AuditLog(config.dataDir());
    this.store = OperationStore.open(config.dataDir());
    EventJournal events = new EventJournal(1000, clock);
    this.sampler = new LoadSampler(config.admin()::snapshot, clock, config.transport());
    this.hotSpots = new HotSpotMonitor(config.admin()::snapshot, sampler);
    OperationPlanner planner =
        new ClusterOperationPlanner(
            config.admin(),
            config.hosts(),
            config.provisioner(),
            config.restarter(),
            hotSpots,
            config.settings(),
            clock);
    this.manager = new OperationManager(planner, audit, events, clock, store);
    this.selfHealer =
        new SelfHealer(
            config.admin()::snapshot,
            manager,
            config.selfHealing(),
            config.selfHealingPaused(),
            clock);
    this.service = new OperationsService(manager, selfHealer, hotSpots);
  }

  public OpsRuntime start() {
    sampler.start(config.sampleInterval());
    selfHealer.start(config.healCheckInterval());
    return this;
  }

  public OperationManager operations() {
    return manager;
  }

  public SelfHealer selfHealer() {
    return selfHealer;
  }

  public HotSpotMonitor hotSpots() {
    return hotSpots;
  }

  public OperationsService service() {
    return service;
  }

  @Override
  public void close() {
    selfHealer.close();
    sampler.close();
    manager.close();
    store.close();
    audit.close();
  }
}
