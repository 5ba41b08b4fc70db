package io.catena.installer.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code catena batch FILE}: console commands one a line, stopping at the first failing line. */
@Command(
    name = "batch",
    description = {
      "Run console commands from FILE, one a line (# starts a comment). The script is checked",
      "before anything runs; the first failing line stops it, named by its number.",
      "Commands: status | nodes | chains | operations | scale-out --nodes N | repair --target ID |",
      "drain --node ID | rolling-restart | rebalance | wait ready --timeout 60s |",
      "tenant create NAME --quota 10GiB | self-healing pause|resume|status"
    },
    mixinStandardHelpOptions = true)
public final class BatchCommand implements Callable<Integer> {

  static final int BAD_INPUT = 2;
  static final int FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The script.")
  Path file;

  @Option(names = "--json", description = "One JSON object per command line on stdout.")
  boolean json;

  @Mixin ControlPlaneOptions controlPlane;

  @Override
  public Integer call() throws Exception {
    List<String> text;
    try {
      text = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    BatchScript script;
    try {
      script = BatchScript.parse(text);
    } catch (BatchScript.LineFailedException e) {
      return fail(e, BAD_INPUT);
    }
    try (ConsoleClient client = controlPlane.connect()) {
      script.run(client::run, spec.commandLine().getOut(), json);
      return 0;
    } catch (BatchScript.LineFailedException e) {
      return fail(e, e.badInput() ? BAD_INPUT : FAILED);
    }
  }

  private int fail(BatchScript.LineFailedException e, int code) {
    spec.commandLine().getErr().println("catena: " + file + " " + e.getMessage());
    spec.commandLine().getErr().flush();
    return code;
  }
}
