package io.catena.installer.operator;

import io.catena.controlplane.kubernetes.CatenaOperator;
import io.catena.controlplane.kubernetes.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code catena operator}: reconciles CatenaCluster resources and serves the admission webhooks
 * until stopped. It finds the API server as kubectl does (in a pod: its service account).
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
    Set<String> watched = new LinkedHashSet<>(namespaces);
    KubernetesClient client = new KubernetesClientBuilder().build();
    WebhookServer webhooks =
        webhookPort == 0
            ? null
            : WebhookServer.start(client, new InetSocketAddress(webhookPort), tlsDir);
    CatenaOperator operator =
        CatenaOperator.start(client, watched, CatenaOperator.inClusterMgmtd(), Clock.systemUTC());
    String scope = watched.isEmpty() ? "all namespaces" : String.join(",", watched);
    if (json) {
      System.out.println(
          "{\"operator\":\"started\",\"namespaces\":\""
              + scope
              + "\",\"webhookPort\":"
              + webhookPort
              + ",\"tls\":"
              + (tlsDir != null)
              + "}");
    } else {
      System.out.println(
          "catena operator watching "
              + scope
              + (webhooks == null ? "" : ", webhooks on :" + webhooks.address().getPort()));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
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
}
