package io.catena.installer.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One console command as {@code catena <command> ...}: the same words a batch line holds, parsed by
 * the same parser, run by the same client.
 */
@Command(mixinStandardHelpOptions = true)
public final class ConsoleLineCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "The command's arguments.")
  List<String> args = new ArrayList<>();

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Mixin ControlPlaneOptions controlPlane;

  private final String name;

  ConsoleLineCommand(String name) {
    this.name = name;
  }

  @Override
  public Integer call() throws Exception {
    ConsoleCommand command = ConsoleCommandParser.parse(name + " " + String.join(" ", args));
    try (ConsoleClient client = controlPlane.connect()) {
      ConsoleClient.Result result = client.run(command);
      spec.commandLine().getOut().println(json ? result.json().toString() : result.text());
      return 0;
    }
  }

  /**
   * Adds every console command to {@code root} as a subcommand ({@code catena status}, {@code
   * catena scale-out --nodes 2}, ...), each described by its usage line.
   */
  public static void addTo(CommandLine root) {
    for (String usage : ConsoleCommandParser.USAGE) {
      String name = usage.split(" ")[0];
      if (root.getSubcommands().containsKey(name)) {
        continue;
      }
      CommandLine sub = new CommandLine(new ConsoleLineCommand(name));
      sub.getCommandSpec().usageMessage().description("Console command: " + usage);
      sub.setUnmatchedOptionsArePositionalParams(true);
      root.addSubcommand(name, sub);
    }
  }
}
