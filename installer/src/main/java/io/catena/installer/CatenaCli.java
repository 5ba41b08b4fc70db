package io.catena.installer;

import io.catena.installer.bench.BenchCommand;
import io.catena.installer.cluster.ChainsCommand;
import io.catena.installer.cluster.ControlPlaneCommand;
import io.catena.installer.cluster.DownCommand;
import io.catena.installer.cluster.InstallAgentCommand;
import io.catena.installer.cluster.JoinTokenCommand;
import io.catena.installer.cluster.NodesCommand;
import io.catena.installer.cluster.StatusCommand;
import io.catena.installer.cluster.TargetsCommand;
import io.catena.installer.cluster.UninstallAgentCommand;
import io.catena.installer.cluster.UpCommand;
import io.catena.installer.console.ConsoleCommand;
import io.catena.installer.daemon.DaemonCommand;
import io.catena.installer.gateway.GatewayCommand;
import io.catena.installer.operator.OperatorCommand;
import io.catena.installer.topology.TopologyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code catena} command line: one entry point for operators, scripts and node agents. */
@Command(
    name = "catena",
    description = "Catena: distributed storage for the SSD tier of LLM-inference KVCache.",
    mixinStandardHelpOptions = true,
    versionProvider = CatenaCli.Version.class,
    subcommands = {
      VersionCommand.class,
      AgentCommand.class,
      DaemonCommand.class,
      GatewayCommand.class,
      BenchCommand.class,
      TopologyCommand.class,
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      NodesCommand.class,
      ChainsCommand.class,
      TargetsCommand.class,
      ControlPlaneCommand.class,
      InstallAgentCommand.class,
      JoinTokenCommand.class,
      UninstallAgentCommand.class,
      ConsoleCommand.class,
      OperatorCommand.class
    })
public final class CatenaCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The command tree with Catena's error handling: one clear line on stderr, non-zero exit. */
  public static CommandLine newCommandLine() {
    CommandLine commandLine = new CommandLine(new CatenaCli());
    commandLine.addSubcommand(new io.catena.installer.batch.BatchCommand());
    io.catena.installer.batch.ConsoleLineCommand.addTo(commandLine);
    OneLineErrors errors = new OneLineErrors();
    commandLine.setParameterExceptionHandler(errors);
    commandLine.setExecutionExceptionHandler(errors);
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"catena " + BuildVersion.current().version()};
    }
  }
}
