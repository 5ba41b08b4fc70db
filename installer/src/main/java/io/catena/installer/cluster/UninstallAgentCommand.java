package io.catena.installer.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catena uninstall-agent}: disables and ends the agent installed by install-agent and
 * removes the unit, the token file and the distribution. Its daemons are not stopped (stop them
 * through the control plane first); its data directory is kept unless {@code --purge}.
 */
@Command(
    name = "uninstall-agent",
    description =
        "Stop and remove the node agent installed by install-agent (data kept unless --purge).",
    mixinStandardHelpOptions = true)
public final class UninstallAgentCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--prefix",
      defaultValue = "/opt/catena",
      description = "Default ${DEFAULT-VALUE}.")
  String prefix;

  @Option(
      names = "--data",
      defaultValue = "/var/lib/catena",
      description = "Default ${DEFAULT-VALUE}.")
  String dataDir;

  @Option(names = "--root", defaultValue = "/", description = "The tree install-agent used.")
  Path root;

  @Option(names = "--purge", description = "Also delete the agent's data directory.")
  boolean purge;

  @Override
  public Integer call() throws Exception {
    Path base = root.toAbsolutePath().normalize();
    Path unit = base.resolve("etc/systemd/system/" + InstallAgentCommand.UNIT);
    Path target = base.resolve(prefix.substring(1));
    if (!Files.exists(unit) && !Files.exists(target)) {
      throw new IllegalArgumentException("no agent is installed under " + base);
    }
    if (base.equals(Path.of("/")) && InstallAgentCommand.systemctl()) {
      InstallAgentCommand.run("systemctl", "disable", "--now", InstallAgentCommand.UNIT);
    }
    Path data = base.resolve(dataDir.substring(1));
    stopAgent(data);
    List<Path> removed =
        new ArrayList<>(List.of(unit, base.resolve("etc/catena/agent.env"), target));
    if (purge) {
      removed.add(data);
    }
    for (Path p : removed) {
      InstallAgentCommand.deleteTree(p);
    }
    spec.commandLine()
        .getOut()
        .println(
            "catena: removed the agent" + (purge ? " and its data" : "; data kept in " + data));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Ends the agent recorded in its root (a unit-less install, or systemd already did). */
  private static void stopAgent(Path data) throws java.io.IOException {
    Path info = data.resolve("agent").resolve("agent.properties");
    if (!Files.exists(info)) {
      return;
    }
    java.util.Properties p = new java.util.Properties();
    try (var r = Files.newBufferedReader(info)) {
      p.load(r);
    }
    long pid = Long.parseLong(p.getProperty("pid", "0").strip());
    LocalProcesses.alive(pid, null)
        .filter(h -> h.info().commandLine().map(c -> c.contains("agent")).orElse(true))
        .ifPresent(h -> LocalProcesses.stop(h, Duration.ofSeconds(30)));
  }
}
