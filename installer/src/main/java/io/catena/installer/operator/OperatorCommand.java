package io.catena.installer.operator;

import io.catena.controlplane.kubernetes.CatenaOperator;
import io.catena.controlplane.kubernetes.OperationsRouter;
import io.catena.controlplane.kubernetes.OperatorOperations;
import io.catena.controlplane.kubernetes.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.Server;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code catena operator}: reconciles CatenaCluster resources, serves the admission webhooks and
 * the Operations API (each call names its cluster: metadata {@code catena-cluster:
 * <namespace>/<name>}, the CLI's {@code --cluster}) until stopped. It finds the API server as
 * kubectl does (in a pod: its service account).
 */
@Command(
    name = "operator",
    description = "Run the Kubernetes operator: CatenaCluster reconciler and admission webhooks.",
    mixinStandardHelpOptions = true)
public final class OperatorCommand implements Callable<Integer> {

  @Option(
      names = "--namespace",
      split = ",",
      description = "Namespaces to watch (repeat or comma-separate). Default: all.")
  List<String> namespaces = List.of();

  @Option(
      names = "--webhook-port",
      defaultValue = "8443",
      description = "Port of the admission webhooks (0: none). Default: ${DEFAULT-VALUE}.")
  int webhookPort;

  @Option(
      names = "--tls-dir",
      description =
          "Directory with tls.crt and a PKCS#8 tls.key for the webhooks; without it they serve"
              + " plain HTTP (only behind a TLS-terminating proxy).")
  Path tlsDir;

  @Option(
      names = "--ops-port",
      defaultValue = "9090",
      description =
          "Port of the Operations gRPC API (scale-out, drain, rolling restart, repair, rebalance;"
              + " 0: none). Default: ${DEFAULT-VALUE}.")
  int opsPort;

  @Option(
      names = "--ops-dir",
      description =
          "Directory for the operations' audit logs (one per cluster). Default: the temp"
              + " directory's catena-operator.")
  Path opsDir;

  @Option(
      names = "--admin-token-file",
      description =
          "File holding the admin token that Operations mutations need (authorization: Bearer);"
              + " default: $CATENA_ADMIN_TOKEN. Without either the API is read-only.")
  Path adminTokenFile;

  @Option(names = "--json", description = "Print the start line as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (webhookPort < 0 || webhookPort > 65535) {
      throw new IllegalArgumentException("--webhook-port must be in 0..65535");
    }
    if (tlsDir != null && !Files.isRegularFile(tlsDir.resolve("tls.crt"))) {
      throw new IllegalArgumentException(tlsDir.resolve("tls.crt") + " does not exist");
    }
    if (opsPort < 0 || opsPort > 65535) {
      throw new IllegalArgumentException("--ops-port must be in 0..65535");
    }
    String token = adminToken();
    Path dir =
        opsDir != null ? opsDir : Path.of(System.getProperty("java.io.tmpdir"), "catena-operator");
    Set<String> watched = new LinkedHashSet<>(namespaces);
    KubernetesClient client = new KubernetesClientBuilder().build();
    WebhookServer webhooks =
        webhookPort == 0
            ? null
            : WebhookServer.start(client, new InetSocketAddress(webhookPort), tlsDir);
    CatenaOperator operator =
        CatenaOperator.start(
            client,
            watched,
            CatenaOperator.inClusterMgmtd(),
            OperatorOperations.Config.inCluster(dir),
            Clock.systemUTC());
    Server ops =
        opsPort == 0
            ? null
            : new OperationsRouter(operator.operations().orElseThrow())
                .serve(
                    new InetSocketAddress(opsPort),
                    token != null ? token : UUID.randomUUID().toString());
    String scope = watched.isEmpty() ? "all namespaces" : String.join(",", watched);
    if (json) {
      System.out.println(
          "{\"operator\":\"started\",\"namespaces\":\""
              + scope
              + "\",\"webhookPort\":"
              + webhookPort
              + ",\"tls\":"
              + (tlsDir != null)
              + ",\"opsPort\":"
              + opsPort
              + ",\"opsReadOnly\":"
              + (token == null)
              + "}");
    } else {
      System.out.println(
          "catena operator watching "
              + scope
              + (webhooks == null ? "" : ", webhooks on :" + webhooks.address().getPort())
              + (ops == null
                  ? ""
                  : ", operations on :"
                      + ops.getPort()
                      + (token == null ? " (read-only: no admin token)" : "")));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (ops != null) {
                    ops.shutdownNow();
                  }
                  operator.close();
                  if (webhooks != null) {
                    webhooks.close();
                  }
                  client.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }

  private String adminToken() throws java.io.IOException {
    if (adminTokenFile != null) {
      if (!Files.isReadable(adminTokenFile)) {
        throw new IllegalArgumentException(adminTokenFile + " is not readable");
      }
      String t = Files.readString(adminTokenFile).strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException(adminTokenFile + " is empty");
      }
      return t;
    }
    String env = System.getenv("CATENA_ADMIN_TOKEN");
    return env == null || env.isBlank() ? null : env.strip();
  }
}
