package io.catena.installer.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.installer.hosts.NetnsHosts.Host;
import io.catena.installer.hosts.NetnsHosts.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hosts fixture: hosts reach each other by address, not each other's loopback, nothing outside
 * their bridge, the root namespace is left as it was, and teardown removes every namespace and
 * every process. Skipped (with the reason) where network namespaces cannot be made.
 */
class NetnsHostsTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path tmp;

  @Test
  void hostsReachEachOtherByAddressButNotEachOthersLoopback() throws Exception {
    String rootRoutes = rootRoutes();
    List<String> names;
    Process sleeper;
    try (NetnsHosts hosts = NetnsHosts.create(3)) {
      Host a = hosts.host(1);
      Host b = hosts.host(2);
      Host c = hosts.host(3);
      names = hosts.hosts().stream().map(Host::namespace).toList();
      assertThat(a.address()).isEqualTo("198.18.0.1");
      assertThat(b.address()).isEqualTo("198.18.0.2");
      assertThat(NetnsHosts.namespaceNames()).containsAll(names).contains(hosts.switchNamespace());

      listen(hosts, b, b.address(), 7000, "hello from b");
      listen(hosts, b, "127.0.0.1", 7001, "b's own loopback");

      assertThat(connect(hosts, a, b.address(), 7000).out()).isEqualTo("hello from b\n");
      assertThat(connect(hosts, c, b.address(), 7000).out()).isEqualTo("hello from b\n");
      assertThat(connect(hosts, b, "127.0.0.1", 7001).out()).isEqualTo("b's own loopback\n");
      assertThat(connect(hosts, a, "127.0.0.1", 7001).exit())
          .as("a's 127.0.0.1 is a's own, not b's")
          .isNotZero();
      assertThat(connect(hosts, a, b.address(), 7001).exit())
          .as("b's loopback listener is not reachable by b's address")
          .isNotZero();

      Result routes = hosts.run(a, BOUND, "ip", "-4", "route", "show");
      assertThat(routes.out().strip())
          .as("only the bridge's subnet: no default route out of the hosts")
          .isEqualTo("198.18.0.0/24 dev eth0 proto kernel scope link src 198.18.0.1");
      assertThat(connect(hosts, a, "192.0.2.1", 80).exit()).as("nothing outside").isNotZero();
      assertThat(rootRoutes())
          .as("the root namespace's routes are untouched")
          .isEqualTo(rootRoutes);

      hosts.disconnect(b);
      Result cut = connect(hosts, a, b.address(), 7000);
      assertThat(cut.exit()).as("b is partitioned").isNotZero();
      assertThat(cut.err()).doesNotContain("refused");
      assertThat(connect(hosts, a, c.address(), 7000).err())
          .as("a still reaches c (nothing listens there: refused, not unreachable)")
          .contains("Connection refused");
      hosts.reconnect(b);
      assertThat(connect(hosts, a, b.address(), 7000).out()).isEqualTo("hello from b\n");

      sleeper = hosts.exec(a, "sleep", "300");
      assertThat(sleeper.isAlive()).isTrue();
    }
    assertThat(sleeper.isAlive()).as("teardown kills what was started").isFalse();
    assertThat(NetnsHosts.namespaceNames()).doesNotContainAnyElementsOf(names);
    assertThat(rootRoutes()).isEqualTo(rootRoutes);
  }

  @Test
  void leftoversOfADeadRunAreRemovedAndLiveOnesKept() throws Exception {
    NetnsHosts.Result probe;
    try (NetnsHosts hosts = NetnsHosts.create(1)) {
      // A run that died: its pid is gone, its namespace stayed.
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      String leftover = "catena-" + gone.pid() + "-zz9-h1";
      probe = ip("netns", "add", leftover);
      assertThat(probe.exit()).as(probe.err()).isZero();
      assertThat(NetnsHosts.removeLeftovers()).contains(leftover);
      assertThat(NetnsHosts.namespaceNames())
          .doesNotContain(leftover)
          .as("this (live) run's namespaces stay")
          .contains(hosts.host(1).namespace());
    }
  }

  private void listen(NetnsHosts hosts, Host host, String address, int port, String message)
      throws Exception {
    Path out = Files.createTempFile(tmp, "listener", ".txt");
    hosts.exec(
        host,
        new ProcessBuilder().redirectOutput(out.toFile()).redirectErrorStream(true),
        ProcessHandle.current().info().command().orElseThrow(),
        "-Xmx32m",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        System.getProperty("java.class.path"),
        TcpHello.class.getName(),
        address,
        Integer.toString(port),
        "120",
        message);
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!Files.readString(out).contains("listening")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "listener on " + host + " did not start: " + Files.readString(out));
      }
      Thread.sleep(50);
    }
  }

  /** Connects from {@code host} with bash's /dev/tcp and prints what the peer sends. */
  private static Result connect(NetnsHosts hosts, Host host, String address, int port)
      throws IOException {
    return hosts.run(
        host,
        BOUND,
        "timeout",
        "6",
        "bash",
        "-c",
        "exec 3<>/dev/tcp/" + address + "/" + port + " && cat <&3");
  }

  private static String rootRoutes() throws Exception {
    Result r = ip("route", "show", "table", "all");
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out();
  }

  private static Result ip(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("ip"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, err);
  }
}
