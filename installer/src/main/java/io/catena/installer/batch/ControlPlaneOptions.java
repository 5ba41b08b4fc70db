package io.catena.installer.batch;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the control plane is and who is asking: flags, else the environment. */
public final class ControlPlaneOptions {

  @Option(
      names = "--control-plane",
      paramLabel = "HOST:PORT",
      description = "Control plane endpoint (default: $CATENA_CONTROL_PLANE).")
  String endpoint;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Admin token for mutations (default: $CATENA_ADMIN_TOKEN).")
  String token;

  @Option(
      names = "--as",
      paramLabel = "NAME",
      description = "Who you are, for the audit log (default: the OS user).")
  String who;

  ConsoleClient connect() {
    String target = endpoint != null ? endpoint : System.getenv("CATENA_CONTROL_PLANE");
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException(
          "no control plane given: pass --control-plane HOST:PORT or set CATENA_CONTROL_PLANE");
    }
    String t = token != null ? token : System.getenv("CATENA_ADMIN_TOKEN");
    String name = who != null ? who : System.getProperty("user.name", "cli");
    return new ConsoleClient(target, t, name, Duration.ofMillis(500));
  }
}
