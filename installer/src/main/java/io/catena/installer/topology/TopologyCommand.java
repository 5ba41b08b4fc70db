package io.catena.installer.topology;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code catena topology}: chain-table generation and scale-out planning, offline. */
@Command(
    name = "topology",
    description = "Plan chain tables and scale-outs for a cluster shape (no cluster needed).",
    mixinStandardHelpOptions = true,
    subcommands = {TopologyPlanCommand.class, TopologyScaleOutCommand.class})
public final class TopologyCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
