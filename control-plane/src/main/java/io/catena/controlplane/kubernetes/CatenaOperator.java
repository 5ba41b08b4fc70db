package io.catena.controlplane.kubernetes;

import io.catena.controlplane.mgmtd.GrpcMgmtdAdmin;
import io.catena.controlplane.mgmtd.MgmtdAdmin;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The operator: JOSDK with CatenaCluster's reconciler. Primary resources are patched with JSON
 * merge patches, not server-side apply (so it also runs against fabric8's mock server).
 */
public final class CatenaOperator implements AutoCloseable {
  private final Operator operator;
  private final OperatorOperations operations;

  private CatenaOperator(Operator operator, OperatorOperations operations) {
    this.operator = operator;
    this.operations = operations;
  }

  /** mgmtd as the operator reaches it inside Kubernetes: the mgmtd Service's DNS name. */
  public static Function<ClusterNames, MgmtdAdmin> inClusterMgmtd() {
    return names ->
        new GrpcMgmtdAdmin(
            List.of(names.mgmtdService() + ":" + ClusterNames.MGMTD_PORT),
            io.catena.protocol.security.TransportSecurity.insecurePlaintext());
  }

  /** Starts reconciling CatenaClusters in {@code namespaces} (empty: all namespaces). */
  public static CatenaOperator start(
      KubernetesClient client,
      Set<String> namespaces,
      Function<ClusterNames, MgmtdAdmin> mgmtd,
      Clock clock) {
    return start(client, namespaces, mgmtd, null, clock);
  }

  /**
   * Starts reconciling CatenaClusters in {@code namespaces} (empty: all namespaces), with each
   * cluster's operations (scale-out, drain, rolling restart, repair, rebalance) run by an
   * operations runtime configured by {@code ops} (null: none).
   */
  public static CatenaOperator start(
      KubernetesClient client,
      Set<String> namespaces,
      Function<ClusterNames, MgmtdAdmin> mgmtd,
      OperatorOperations.Config ops,
      Clock clock) {
    OperatorOperations operations =
        ops == null ? null : new OperatorOperations(client, namespaces, ops, clock);
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(2));
    operator.register(
        new CatenaClusterReconciler(mgmtd, operations, clock),
        c -> {
          if (namespaces.isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(namespaces);
          }
        });
    operator.start();
    return new CatenaOperator(operator, operations);
  }

  /** The clusters' operations; empty when started without them. */
  public java.util.Optional<OperatorOperations> operations() {
    return java.util.Optional.ofNullable(operations);
  }

  @Override
  public void close() {
    operator.stop();
    if (operations != null) {
      operations.close();
    }
  }
}
