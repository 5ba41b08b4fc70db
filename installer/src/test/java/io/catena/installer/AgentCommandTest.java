package io.catena.installer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.protocol.agent.ControlPlaneRegistryGrpc;
import io.catena.protocol.agent.FactsRequest;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.catena.protocol.agent.NodeAgentGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {

  @TempDir Path root;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Server controlPlane;
  private Process agent;

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null) {
      agent.destroyForcibly();
      agent.waitFor(30, TimeUnit.SECONDS);
    }
    if (controlPlane != null) {
      controlPlane.shutdownNow();
    }
  }

  private int run(String... args) {
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private void assertOneErrorLine(String... fragments) {
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("catena: ").contains(fragments);
  }

  @Test
  void badArgumentsGiveOneLineAndExitCode2() {
    assertThat(run("agent", "--control-plane", "127.0.0.1:1", "--join-token", "t")).isEqualTo(2);
    assertOneErrorLine("--root");

    err.getBuffer().setLength(0);
    assertThat(
            run(
                "agent",
                "--root",
                root.toString(),
                "--control-plane",
                "nowhere",
                "--join-token",
                "t"))
        .isEqualTo(2);
    assertOneErrorLine("not HOST:PORT");

    err.getBuffer().setLength(0);
    assertThat(
            run(
                "agent",
                "--root",
                root.toString(),
                "--control-plane",
                "10.1.2.3:7000",
                "--join-token",
                "t"))
        .isEqualTo(2);
    assertOneErrorLine("--control-plane-ca");
  }

  @Test
  void anUnreachableControlPlaneFailsWithOneLineAndExitCode1() throws Exception {
    int freePort;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      freePort = socket.getLocalPort();
    }
    assertThat(
            run(
                "agent",
                "--root",
                root.toString(),
                "--control-plane",
                "127.0.0.1:" + freePort,
                "--join-token",
                "t",
                "--join-timeout",
                "1"))
        .isEqualTo(1);
    assertOneErrorLine("cannot reach the control plane");
  }

  /** The next line the process prints, waiting at most a minute (the process is killed after). */
  private static String firstLine(BufferedReader reader) throws Exception {
    return java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .get(60, TimeUnit.SECONDS);
  }

  private ProcessBuilder agentProcess() {
    return new ProcessBuilder(
            ProcessHandle.current().info().command().orElseThrow(),
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            CatenaCli.class.getName(),
            "agent",
            "--root",
            root.toString(),
            "--control-plane",
            "127.0.0.1:" + controlPlane.getPort(),
            "--labels",
            "rack=r1,zone=z1",
            "--json")
        .redirectError(ProcessBuilder.Redirect.DISCARD);
  }

  @Test
  void theAgentCommandJoinsPrintsItsEndpointAndServesUntilTerminated() throws Exception {
    List<JoinRequest> joins = new CopyOnWriteArrayList<>();
    controlPlane =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .addService(
                new ControlPlaneRegistryGrpc.ControlPlaneRegistryImplBase() {
                  @Override
                  public void join(JoinRequest request, StreamObserver<JoinReply> reply) {
                    joins.add(request);
                    reply.onNext(JoinReply.newBuilder().setNodeId("node-3").build());
                    reply.onCompleted();
                  }
                })
            .build()
            .start();
    ProcessBuilder withoutToken = agentProcess();
    withoutToken.environment().remove("CATENA_JOIN_TOKEN");
    agent = withoutToken.start();
    agent.getOutputStream().close();
    String line;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(agent.getInputStream()))) {
      line = firstLine(reader);
    }
    // neither --join-token nor CATENA_JOIN_TOKEN: refused as bad input
    assertThat(line).isNull();
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isEqualTo(2);

    ProcessBuilder withToken = agentProcess();
    withToken.environment().put("CATENA_JOIN_TOKEN", "token-from-env");
    agent = withToken.start();
    JsonNode printed;
    BufferedReader reader = new BufferedReader(new InputStreamReader(agent.getInputStream()));
    printed = new ObjectMapper().readTree(firstLine(reader));

    assertThat(printed.get("nodeId").asText()).isEqualTo("node-3");
    assertThat(printed.get("tls").asBoolean()).isFalse();
    assertThat(printed.get("pid").asLong()).isEqualTo(agent.pid());
    assertThat(joins.getFirst().getJoinToken()).isEqualTo("token-from-env");
    assertThat(joins.getFirst().getFacts().getLabelsMap()).containsEntry("zone", "z1");
    String[] endpoint = printed.get("endpoint").asText().split(":");
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                endpoint[0], Integer.parseInt(endpoint[1]), InsecureChannelCredentials.create())
            .build();
    try {
      assertThat(
              NodeAgentGrpc.newBlockingStub(channel)
                  .facts(FactsRequest.getDefaultInstance())
                  .getLabelsMap())
          .containsEntry("rack", "r1");
    } finally {
      channel.shutdownNow();
    }

    agent.destroy(); // SIGTERM: the agent shuts down cleanly
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isIn(0, 143);
    reader.close();
  }
}
