package io.catena.installer.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.installer.cluster.LocalClusterProcesses;
import io.catena.installer.hosts.NetnsHosts.Host;
import io.catena.installer.hosts.NetnsHosts.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster across four hosts made of network namespaces (see {@link NetnsHosts}): the control
 * plane on h1 ({@code catena control-plane --listen 198.18.0.1:7000}); on h2, h3 and h4 an agent
 * installed with {@code catena install-agent --root DIR} and started inside its host, as the
 * installed systemd unit would start it. The spec names the three node addresses; the cluster must
 * reach Ready, and a KV put/get and a file write/read through the gateway (on node-1, h2) are made
 * from h1, so every byte crosses hosts (the chains have one replica per host). Everything speaks
 * TLS: agents join with {@code --control-plane-ca} (the CA certificate from the control plane's
 * {@code ca/ca.crt}, which an operator would copy to each node), the control plane issues node
 * certificates at join, daemons talk mutual TLS, the gateway serves HTTPS (curl {@code --cacert}).
 * The status is read with {@link ControlPlaneProbe}, given the CA file.
 *
 * <p>All hosts share this machine's file system: the control plane's state, each agent's root and
 * each node's disk are separate directories, and the test hands no host another's files except the
 * CA certificate (what a component still reads from another host's disk is listed in
 * docs/development.md).
 */
class MultiHostClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LOGS = List.of("control-plane.log", "agent.log", "daemon.log");
  private static final int NODES = 3;
  private static final int CONTROL_PLANE_PORT = 7000;
  private static final int AGENT_PORT = 7400;
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration READY = Duration.ofSeconds(420);
  private static final byte[] BLOCK =
      "kv block across hosts: attention keys and values".getBytes(StandardCharsets.UTF_8);

  @TempDir Path home;
  @TempDir Path work;

  @Test
  void aClusterOnThreeHostsBecomesReadyAndServesKvAndFilesToAnotherHost() throws Exception {
    try (NetnsHosts hosts = NetnsHosts.create(1 + NODES)) {
      Host cpHost = hosts.host(1);
      Path catena = new LocalClusterProcesses(home, work.resolve("unused")).launcher();
      Path spec = writeSpec(hosts);
      String cp = cpHost.address() + ":" + CONTROL_PLANE_PORT;

      Path cpState = work.resolve("control-plane");
      Path cpOut = work.resolve("control-plane.out");
      Path cpLog = work.resolve("control-plane.log");
      Process controlPlane =
          hosts.exec(
              cpHost,
              withHome(new ProcessBuilder(), home)
                  .redirectOutput(cpOut.toFile())
                  .redirectError(cpLog.toFile()),
              catena.toString(),
              "control-plane",
              "--spec",
              spec.toString(),
              "--listen",
              cp,
              "--state",
              cpState.toString());
      awaitLine(controlPlane, cpOut, cpLog, "serving on", START);
      String joinToken = Files.readAllLines(cpState.resolve("join.token")).getFirst().strip();

      Optional<Path> ca = controlPlaneCa(cpState);
      assertThat(ca).as("the control plane's cluster CA (mutual TLS across hosts)").isPresent();
      List<Process> agents = new ArrayList<>();
      for (int i = 1; i <= NODES; i++) {
        agents.add(installAndStartAgent(hosts, hosts.host(1 + i), i, catena, cp, joinToken, ca));
      }

      JsonNode status = awaitReady(hosts, cpHost, cp, ca, agents);
      assertThat(status.get("nodes").asInt()).isEqualTo(NODES);
      String gateway = status.get("gatewayEndpoint").asText();
      // The gateway serves HTTPS with its node's certificate, and the status says so.
      assertThat(gateway)
          .startsWith((ca.isPresent() ? "https://" : "http://") + hosts.host(2).address() + ":");

      JsonNode chains = probe(hosts, cpHost, cp, ca, "chains");
      assertThat(chains.toString())
          .as("chains span the three hosts")
          .contains("node-1")
          .contains("node-2")
          .contains("node-3");

      String token = Files.readString(cpState.resolve("tokens").resolve("default.token")).strip();
      Path block = Files.write(work.resolve("block.bin"), BLOCK);
      Path back = work.resolve("back.bin");

      assertThat(
              curl(
                  hosts,
                  cpHost,
                  token,
                  "-X",
                  "PUT",
                  "--data-binary",
                  "@" + block,
                  gateway + "/v1/kv/keys/page-1"))
          .as("KV put from h1 to the gateway on h2")
          .isEqualTo("201");
      assertThat(curl(hosts, cpHost, token, "-o", back.toString(), gateway + "/v1/kv/keys/page-1"))
          .isEqualTo("200");
      assertThat(Files.readAllBytes(back)).isEqualTo(BLOCK);

      assertThat(
              curl(
                  hosts,
                  cpHost,
                  token,
                  "-X",
                  "PUT",
                  "--data-binary",
                  "@" + block,
                  gateway + "/v1/fs/across-hosts.bin?offset=0"))
          .as("file write from h1")
          .startsWith("2");
      Files.deleteIfExists(back);
      assertThat(
              curl(
                  hosts, cpHost, token, "-o", back.toString(), gateway + "/v1/fs/across-hosts.bin"))
          .isEqualTo("200");
      assertThat(Files.readAllBytes(back)).isEqualTo(BLOCK);
    }
  }

  /** The spec: three nodes at h2..h4's addresses, one rack each, replication 3, profile local. */
  private Path writeSpec(NetnsHosts hosts) throws IOException {
    StringBuilder nodes = new StringBuilder();
    for (int i = 1; i <= NODES; i++) {
      Path disk = Files.createDirectories(work.resolve("host-" + i).resolve("disk0"));
      nodes.append(
          """
              - name: node-%d
                address: %s
                labels: {rack: rack-%d}
                disks: [%s]
                targetsPerDisk: 2
          """
              .formatted(i, hosts.host(1 + i).address(), i, disk));
    }
    String yaml =
        """
        apiVersion: catena.io/v1alpha1
        kind: CatenaCluster
        metadata:
          name: hosts
        spec:
          replicationFactor: 3
          stripe: 2
          profile: local
          nodes:
        %s  tenants:
            - name: default
        """
            .formatted(nodes);
    return Files.writeString(work.resolve("cluster.yaml"), yaml);
  }

  /**
   * {@code catena install-agent --root DIR} run on the node's host, then the installed unit's
   * command (ExecStart, its paths under DIR, the token from DIR/etc/catena/agent.env) started
   * there.
   */
  private Process installAndStartAgent(
      NetnsHosts hosts,
      Host host,
      int i,
      Path catena,
      String cp,
      String joinToken,
      Optional<Path> ca)
      throws Exception {
    Path root = work.resolve("host-" + i).resolve("root");
    Path disk = work.resolve("host-" + i).resolve("disk0");
    List<String> install =
        new ArrayList<>(
            List.of(
                "env",
                "CATENA_HOME=" + home,
                catena.toString(),
                "install-agent",
                "--root",
                root.toString(),
                "--control-plane",
                cp,
                "--token",
                joinToken,
                "--listen",
                host.address() + ":" + AGENT_PORT,
                "--labels",
                "node=node-" + i + ",rack=rack-" + i,
                "--disk",
                disk.toString(),
                "--json"));
    ca.ifPresent(f -> install.addAll(List.of("--control-plane-ca", f.toString())));
    Result installed = hosts.run(host, START, install.toArray(String[]::new));
    assertThat(installed.exit()).as("install-agent on %s: %s", host, installed.err()).isZero();
    JsonNode report = JSON.readTree(installed.out());
    assertThat(report.get("started").asBoolean()).isFalse();

    List<String> argv = new ArrayList<>();
    for (String word : report.get("execStart").asText().split(" ")) {
      argv.add(
          word.startsWith("/opt/catena") || word.startsWith("/var/lib/catena")
              ? root + word
              : word);
    }
    String env = Files.readString(root.resolve("etc/catena/agent.env")).strip();
    assertThat(env).startsWith("CATENA_JOIN_TOKEN=");
    Path agentOut = root.resolve("agent.out");
    Path agentLog = root.resolve("agent.log");
    ProcessBuilder pb =
        withHome(new ProcessBuilder(), root.resolve("opt/catena"))
            .redirectOutput(agentOut.toFile())
            .redirectError(agentLog.toFile());
    pb.environment().put("CATENA_JOIN_TOKEN", env.substring("CATENA_JOIN_TOKEN=".length()));
    pb.environment().put("CATENA_JAVA_OPTS", "-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    Process agent = hosts.exec(host, pb, argv.toArray(String[]::new));
    awaitLine(agent, agentOut, agentLog, "serving on", START);
    return agent;
  }

  private JsonNode awaitReady(
      NetnsHosts hosts, Host cpHost, String cp, Optional<Path> ca, List<Process> agents)
      throws Exception {
    long deadline = System.nanoTime() + READY.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      for (Process a : agents) {
        assertThat(a.isAlive()).as("agent %d exited", a.pid()).isTrue();
      }
      Result r = probeResult(hosts, cpHost, cp, ca, "status");
      if (r.exit() != 0) {
        last = "status: " + r.err().strip();
      } else {
        JsonNode s = JSON.readTree(r.out());
        last = s;
        for (JsonNode c : s.path("conditions")) {
          if (c.get("type").asText().equals("Ready") && c.get("status").asText().equals("True")) {
            return s;
          }
        }
      }
      Thread.sleep(2000);
    }
    throw new AssertionError("not Ready within " + READY + ": " + last + "\n" + logTails());
  }

  /** The last lines of the control plane's log and of every agent's and daemon's log. */
  private String logTails() throws IOException {
    StringBuilder b = new StringBuilder();
    try (var files = Files.walk(work)) {
      for (Path f :
          files
              .filter(Files::isRegularFile)
              .filter(f -> LOGS.contains(f.getFileName().toString()))
              .sorted()
              .toList()) {
        List<String> lines =
            new String(Files.readAllBytes(f), StandardCharsets.UTF_8).lines().toList();
        b.append("--- ").append(work.relativize(f)).append('\n');
        for (String l : lines.subList(Math.max(0, lines.size() - 15), lines.size())) {
          b.append(l).append('\n');
        }
      }
    }
    return b.toString();
  }

  /** The control plane's status or chains as JSON, read on {@code host} (see ControlPlaneProbe). */
  private static JsonNode probe(
      NetnsHosts hosts, Host host, String cp, Optional<Path> ca, String what) throws Exception {
    Result r = probeResult(hosts, host, cp, ca, what);
    assertThat(r.exit()).as("%s: %s", what, r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private static Result probeResult(
      NetnsHosts hosts, Host host, String cp, Optional<Path> ca, String what) throws IOException {
    return hosts.run(
        host,
        Duration.ofSeconds(120),
        ProcessHandle.current().info().command().orElseThrow(),
        "-Xmx64m",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-cp",
        System.getProperty("java.class.path"),
        ControlPlaneProbe.class.getName(),
        cp,
        ca.map(Path::toString).orElse("-"),
        what);
  }

  /** curl on {@code host} with the tenant's token; returns the HTTP status code. */
  private String curl(NetnsHosts hosts, Host host, String token, String... args)
      throws IOException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "60",
                "-w",
                "%{http_code}",
                "-H",
                "Authorization: Bearer " + token));
    controlPlaneCa(work.resolve("control-plane"))
        .ifPresent(f -> argv.addAll(List.of("--cacert", f.toString())));
    argv.addAll(List.of(args));
    if (!List.of(args).contains("-o")) {
      argv.addAll(List.of("-o", "/dev/null"));
    }
    Result r = hosts.run(host, Duration.ofSeconds(90), argv.toArray(String[]::new));
    assertThat(r.exit()).as("curl %s: %s", List.of(args), r.err()).isZero();
    return r.out().strip();
  }

  /**
   * The control plane's CA certificate, once it writes one into its state directory (what an
   * operator copies to each node for {@code install-agent --control-plane-ca}).
   */
  private static Optional<Path> controlPlaneCa(Path cpState) {
    return java.util.stream.Stream.of("ca/ca.crt")
        .map(cpState::resolve)
        .filter(Files::isRegularFile)
        .findFirst();
  }

  private static ProcessBuilder withHome(ProcessBuilder pb, Path catenaHome) {
    pb.environment().put("CATENA_HOME", catenaHome.toString());
    return pb;
  }

  /** Waits (bounded) for {@code text} in {@code out}; fails with the log if the process ends. */
  private static void awaitLine(Process p, Path out, Path log, String text, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!(Files.exists(out) && Files.readString(out).contains(text))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            (p.isAlive() ? "no '" + text + "' within " + timeout : "exited " + p.exitValue())
                + ": "
                + (Files.exists(log) ? Files.readString(log).strip() : ""));
      }
      Thread.sleep(100);
    }
  }
}
