package io.catena.installer.gateway;

import io.catena.client.gateway.GatewayConfig;
import io.catena.client.gateway.HttpGateway;
import io.catena.installer.daemon.WireOptions;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catena gateway}: the HTTP gateway for the KV and file APIs (docs/gateway.md). */
@Command(
    name = "gateway",
    description = {
      "Run the HTTP gateway: KV and file endpoints for inference engines (raw bytes, batch calls,"
          + " Bearer tenant tokens; docs/openapi.yaml). Blocks; prints where it listens."
    },
    mixinStandardHelpOptions = true)
public final class GatewayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--mgmtd",
      required = true,
      description = "HOST:PORT[,HOST:PORT...] of mgmtd (DNS names are re-resolved).")
  String mgmtd;

  @Option(names = "--meta", required = true, description = "HOST:PORT of a meta server.")
  String meta;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:8080",
      description = "HOST:PORT to serve HTTP on (0: any free port; default ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--max-tenants",
      defaultValue = "64",
      description = "Tenants whose clients stay open at once (default ${DEFAULT-VALUE}).")
  int maxTenants;

  @Option(names = "--json", description = "Print the listening address as JSON.")
  boolean json;

  @Mixin WireOptions wire;

  @Override
  public Integer call() throws Exception {
    List<String> mgmtdEndpoints =
        Arrays.stream(mgmtd.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    GatewayConfig parsed = GatewayConfig.of(mgmtdEndpoints, meta, listen);
    GatewayConfig config =
        new GatewayConfig(
            parsed.mgmtdEndpoints(),
            parsed.metaAddress(),
            parsed.host(),
            parsed.port(),
            maxTenants,
            wire.transport());
    HttpGateway gateway = HttpGateway.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                },
                "gateway-shutdown"));
    String address = config.host() + ":" + gateway.port();
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        json
            ? "{\"service\":\"gateway\",\"listen\":\"" + address + "\"}"
            : "gateway listening on http://" + address);
    out.flush();
    stopped.await();
    return 0;
  }
}
