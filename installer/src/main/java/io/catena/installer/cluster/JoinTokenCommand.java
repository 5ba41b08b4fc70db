package io.catena.installer.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.controlplane.security.JoinTokens;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code catena join-token [show|rotate]}: the token new agents join with, kept in the control
 * plane's state directory. {@code rotate} writes a new one, which revokes the old at once (the
 * control plane re-reads the file at every join); agents that already hold a node certificate
 * re-join with it and need no token.
 */
@Command(
    name = "join-token",
    description = {
      "Show the join token agents join with, or rotate it (revoking the old one at once)."
    },
    mixinStandardHelpOptions = true)
public final class JoinTokenCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      defaultValue = "show",
      description = "show (default) or rotate.",
      paramLabel = "ACTION")
  String action;

  @Option(
      names = "--data",
      defaultValue = "catena-data",
      description = "The cluster's data directory (default: ./${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--state",
      description = "The control plane's state directory (default: DATA/control-plane).")
  Path state;

  @Option(
      names = "--ttl-hours",
      defaultValue = "24",
      description = "How long a rotated token is valid, in hours (default ${DEFAULT-VALUE}).")
  long ttlHours;

  @Option(names = "--json", description = "Print the token and its expiry as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path dir = state != null ? state : data.resolve("control-plane");
    Path file = dir.resolve("join.token");
    if (ttlHours < 1 || ttlHours > 24 * 365) {
      throw new IllegalArgumentException("--ttl-hours must be 1..8760, got " + ttlHours);
    }
    JoinTokens tokens = new JoinTokens(file, Clock.systemUTC());
    JoinTokens.JoinToken token =
        switch (action) {
          case "show" -> {
            if (!Files.exists(file)) {
              throw new IllegalArgumentException(
                  "no join token in " + dir + " (start the control plane, or give --state)");
            }
            yield tokens.current(Duration.ofHours(ttlHours));
          }
          case "rotate" -> {
            if (!Files.isDirectory(dir)) {
              throw new IllegalArgumentException("no control plane state in " + dir);
            }
            yield tokens.rotate(Duration.ofHours(ttlHours));
          }
          default ->
              throw new IllegalArgumentException(
                  "the action is show or rotate, not '" + action + "'");
        };
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("token", token.secret());
      line.put("expires", token.expires().toString());
      line.put("rotated", action.equals("rotate"));
      out.println(new ObjectMapper().writeValueAsString(line));
    } else {
      out.println(token.secret());
      spec.commandLine()
          .getErr()
          .println(
              "catena: valid until "
                  + token.expires()
                  + (action.equals("rotate") ? "; the previous token no longer joins" : ""));
    }
    return 0;
  }
}
