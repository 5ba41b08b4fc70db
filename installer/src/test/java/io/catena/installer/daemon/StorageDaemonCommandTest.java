package io.catena.installer.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.installer.CatenaCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class StorageDaemonCommandTest {

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--node-id 1 --data /tmp/x                                   | --mgmtd",
        "--node-id 1 --mgmtd 127.0.0.1:1 --data /tmp/x --fsync maybe  | --fsync must be always or never",
        "--node-id 0 --mgmtd 127.0.0.1:1 --data /tmp/x               | --node-id must be positive",
        "--node-id 1 --mgmtd 127.0.0.1:1 --data /tmp/x --listen nowhere | --listen must be host:port",
      })
  void badArgumentsGiveOneLineAndExitCode2(String args, String message) {
    String[] argv = ("daemon storage " + args.strip()).split("\\s+");
    assertThat(run(argv)).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("catena: ").contains(message);
  }

  @Test
  void itIsListedUnderDaemon() {
    assertThat(new CommandLine(new DaemonCommand()).getSubcommands()).containsKey("storage");
  }
}
