package io.catena.installer.daemon;

import io.catena.installer.gateway.GatewayCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code catena daemon <kind>}: runs one Catena daemon in the foreground (what agents start). */
@Command(
    name = "daemon",
    description = "Run a Catena daemon in the foreground (node agents start these).",
    mixinStandardHelpOptions = true,
    subcommands = {
      MgmtdDaemonCommand.class,
      MetaDaemonCommand.class,
      StorageDaemonCommand.class,
      GatewayCommand.class
    })
public final class DaemonCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
