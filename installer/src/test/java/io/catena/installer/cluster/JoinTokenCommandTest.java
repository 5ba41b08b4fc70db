package io.catena.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.security.JoinTokens;
import io.catena.installer.CatenaCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JoinTokenCommandTest {

  @TempDir Path state;

  @Test
  void rotatingRevokesTheOldTokenAtOnce() {
    JoinTokens tokens = new JoinTokens(state.resolve("join.token"), Clock.systemUTC());
    String old = tokens.current(Duration.ofHours(1)).secret();

    StringWriter out = new StringWriter();
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    int code = cli.execute("join-token", "rotate", "--state", state.toString(), "--json");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("\"rotated\":true").doesNotContain(old);
    assertThat(tokens.refusal(old)).isPresent();
    String fresh = tokens.current(Duration.ofHours(1)).secret();
    assertThat(out.toString()).contains(fresh);
    assertThat(tokens.refusal(fresh)).isEmpty();
  }

  @Test
  void anUnknownActionIsBadInputAndChangesNothing() {
    JoinTokens tokens = new JoinTokens(state.resolve("join.token"), Clock.systemUTC());
    String old = tokens.current(Duration.ofHours(1)).secret();
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("join-token", "revoke", "--state", state.toString())).isNotZero();
    assertThat(tokens.refusal(old)).isEmpty();
  }
}
