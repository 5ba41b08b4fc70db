package io.catena.installer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code catena daemon <kind>}: runs one daemon in the foreground (what node agents start). */
@Command(
    name = "daemon",
    description = "Run a Catena daemon in the foreground until it is terminated.",
    mixinStandardHelpOptions = true,
    subcommands = {DaemonMetaCommand.class})
final class DaemonCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
