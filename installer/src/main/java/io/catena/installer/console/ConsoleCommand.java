package io.catena.installer.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.console.ConsoleConnection;
import io.catena.console.ConsoleWindow;
import io.catena.console.ControlPlaneApi;
import io.catena.console.FxRuntime;
import io.catena.console.Screenshot;
import io.catena.console.Theme;
import io.catena.console.ViewName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catena console}: the JavaFX admin console for a control plane, or with {@code
 * --screenshot} one view rendered to a PNG without a display.
 */
@Command(
    name = "console",
    description = {
      "Open the admin console on a control plane, or render one view to PNG (--screenshot).",
      "Screenshot mode needs no display: it uses JavaFX's headless platform."
    },
    mixinStandardHelpOptions = true)
public final class ConsoleCommand implements Callable<Integer> {

  static final String ENV_CONTROL_PLANE = "CATENA_CONTROL_PLANE";
  static final String ENV_TOKEN = "CATENA_ADMIN_TOKEN";
  static final String ENV_CA = "CATENA_CONTROL_PLANE_CA";

  @Option(
      names = "--control-plane-ca",
      description =
          "The cluster CA certificate to verify the control plane with (default: $"
              + "CATENA_CONTROL_PLANE_CA; without it: plain text, loopback only).")
  String controlPlaneCa;

  @Spec CommandSpec spec;

  @Option(
      names = "--control-plane",
      paramLabel = "HOST:PORT",
      description = "The control plane's API (default: $" + ENV_CONTROL_PLANE + ").")
  String controlPlane;

  @Option(names = "--token", description = "Admin token for changes (default: $" + ENV_TOKEN + ").")
  String token;

  @Option(
      names = "--screenshot",
      paramLabel = "FILE",
      description = "Render a view to this PNG and exit.")
  Path screenshot;

  @Option(
      names = "--view",
      paramLabel = "NAME",
      defaultValue = "overview",
      description =
          "overview, nodes, topology, tenants, hotspots or actions (default: ${DEFAULT-VALUE}).")
  String view;

  @Option(
      names = "--theme",
      defaultValue = "light",
      description = "light or dark (default: ${DEFAULT-VALUE}).")
  String theme;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      defaultValue = "1440x900",
      description = "Screenshot size (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--user", description = "Name recorded in the audit log (default: $USER).")
  String user;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ViewName viewName = ViewName.parse(view);
    Theme chosenTheme = Theme.parse(theme);
    int[] dimensions = parseSize(size);
    String target = controlPlane != null ? controlPlane : System.getenv(ENV_CONTROL_PLANE);
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException(
          "no control plane: pass --control-plane HOST:PORT or set " + ENV_CONTROL_PLANE);
    }
    String adminToken = token != null ? token : System.getenv(ENV_TOKEN);
    String who = user != null ? user : System.getProperty("user.name", "admin");
    var out = spec.commandLine().getOut();
    String ca = controlPlaneCa != null ? controlPlaneCa : System.getenv(ENV_CA);
    io.grpc.ManagedChannel channel =
        ca == null || ca.isBlank()
            ? ConsoleConnection.remote(target)
            : ConsoleConnection.remote(
                target,
                io.catena.protocol.security.TransportSecurity.trusting(java.nio.file.Path.of(ca))
                    .channelCredentials(target));
    try (ControlPlaneApi api = new ControlPlaneApi(channel, adminToken)) {
      if (screenshot != null) {
        FxRuntime.start(true);
        Screenshot.render(api, viewName, chosenTheme, dimensions[0], dimensions[1], screenshot);
        if (json) {
          Map<String, Object> result = new LinkedHashMap<>();
          result.put("file", screenshot.toAbsolutePath().toString());
          result.put("view", viewName.cliName());
          result.put("bytes", Files.size(screenshot));
          out.println(new ObjectMapper().writeValueAsString(result));
        } else {
          out.println("wrote " + screenshot + " (" + viewName.cliName() + ")");
        }
        out.flush();
        return 0;
      }
      if (FxRuntime.noDisplay()) {
        throw new IllegalStateException(
            "no display to open the console on (DISPLAY is unset); use --screenshot, or run under xvfb-run");
      }
      ConsoleWindow.open(api, chosenTheme, viewName, who);
      return 0;
    } finally {
      if (screenshot != null) {
        javafx.application.Platform.exit();
      }
    }
  }

  static int[] parseSize(String text) {
    String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      if (parts.length == 2) {
        int w = Integer.parseInt(parts[0].trim());
        int h = Integer.parseInt(parts[1].trim());
        if (w >= 320 && h >= 240 && w <= 7680 && h <= 4320) {
          return new int[] {w, h};
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        "--size must be WxH between 320x240 and 7680x4320, got '" + text + "'");
  }
}
