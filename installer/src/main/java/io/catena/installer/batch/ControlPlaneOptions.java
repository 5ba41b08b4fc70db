package io.catena.installer.batch;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the control plane is and who is asking: the flags, else the environment, else the local
 * cluster that {@code catena up} keeps in {@code --data} (its {@code control-plane.properties} and
 * {@code admin.token}).
 */
public final class ControlPlaneOptions {

  @Option(
      names = "--control-plane",
      paramLabel = "HOST:PORT",
      description =
          "Control plane endpoint (default: $CATENA_CONTROL_PLANE, else the --data cluster's).")
  String endpoint;

  @Option(
      names = "--cluster",
      paramLabel = "NAMESPACE/NAME",
      description =
          "With the Kubernetes operator's Operations API as --control-plane: the CatenaCluster"
              + " the command is for (default: $CATENA_CLUSTER).")
  String cluster;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "catena-data",
      description = "The local cluster's data directory (default: ./${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Admin token for mutations (default: $CATENA_ADMIN_TOKEN, else the --data cluster's).")
  String token;

  @Option(
      names = "--as",
      paramLabel = "NAME",
      description = "Who you are, for the audit log (default: the OS user).")
  String who;

  ConsoleClient connect() {
    Path stateDir = data.resolve("control-plane");
    String target = endpoint != null ? endpoint : System.getenv("CATENA_CONTROL_PLANE");
    if (target == null || target.isBlank()) {
      target = localEndpoint(stateDir);
    }
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException(
          "no control plane given and none running in "
              + data
              + ": pass --control-plane HOST:PORT, set CATENA_CONTROL_PLANE, or start one with 'catena up'");
    }
    String t = token != null ? token : System.getenv("CATENA_ADMIN_TOKEN");
    if (t == null) {
      t = read(stateDir.resolve("admin.token"));
    }
    String name = who != null ? who : System.getProperty("user.name", "cli");
    String k8s = cluster != null ? cluster : System.getenv("CATENA_CLUSTER");
    if (k8s != null && !k8s.isBlank() && !k8s.strip().matches("[^/\\s]+/[^/\\s]+")) {
      throw new IllegalArgumentException("--cluster is NAMESPACE/NAME, got '" + k8s + "'");
    }
    // A local cluster's control plane is verified with its CA; a remote one given by address is
    // reached as before until it publishes a CA (CATENA_CONTROL_PLANE_CA).
    String caEnv = System.getenv("CATENA_CONTROL_PLANE_CA");
    io.grpc.ChannelCredentials credentials;
    if (caEnv != null && !caEnv.isBlank()) {
      credentials =
          io.catena.protocol.security.TransportSecurity.trusting(Path.of(caEnv))
              .channelCredentials(target);
    } else if (io.catena.installer.cluster.ControlPlaneWire.hasCa(stateDir)) {
      credentials =
          io.catena.installer.cluster.ControlPlaneWire.forState(stateDir)
              .channelCredentials(target);
    } else {
      credentials = io.grpc.InsecureChannelCredentials.create();
    }
    return new ConsoleClient(target, t, name, Duration.ofMillis(500), k8s, credentials);
  }

  private static String localEndpoint(Path stateDir) {
    Path file = stateDir.resolve("control-plane.properties");
    if (!Files.isReadable(file)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      return null;
    }
    return p.getProperty("endpoint");
  }

  private static String read(Path file) {
    try {
      return Files.isReadable(file) ? Files.readString(file).strip() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
