package io.catena.installer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catena version}: the build's version and the Java runtime in use. */
@Command(
    name = "version",
    description = "Print the Catena version and the Java runtime in use.",
    mixinStandardHelpOptions = true)
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    BuildVersion version = BuildVersion.current();
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(version));
    } else {
      out.println("catena " + version.version());
      out.println("java   " + version.javaRuntime());
    }
    out.flush();
    return 0;
  }
}
