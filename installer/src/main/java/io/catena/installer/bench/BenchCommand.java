package io.catena.installer.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code catena bench <workload>}: workload drivers against a running cluster. */
@Command(
    name = "bench",
    description = "Run a benchmark workload against a running cluster.",
    mixinStandardHelpOptions = true,
    subcommands = {ReplayCommand.class, KvVsRedisCommand.class})
public final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
