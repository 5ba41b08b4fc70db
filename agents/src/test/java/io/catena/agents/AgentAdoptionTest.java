package io.catena.agents;

import static io.catena.agents.AgentClients.status;
import static io.catena.agents.TestProcesses.alive;
import static io.catena.agents.TestProcesses.await;
import static io.catena.agents.TestProcesses.fakeSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.agent.DaemonRef;
import io.catena.protocol.agent.DaemonState;
import io.catena.protocol.agent.DaemonStatus;
import io.catena.protocol.agent.DeployRequest;
import io.catena.protocol.agent.Health;
import io.catena.protocol.agent.NodeAgentGrpc.NodeAgentBlockingStub;
import io.catena.protocol.agent.StopRequest;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent dies (SIGKILL); its daemons keep serving; the next agent adopts them unrestarted. */
class AgentAdoptionTest {

  @TempDir Path root;
  private final TestProcesses processes = new TestProcesses();
  private final AgentClients clients = new AgentClients();
  private NodeAgent secondAgent;

  @AfterEach
  void tearDown() {
    clients.close();
    if (secondAgent != null) {
      secondAgent.close();
    }
    processes.killAll();
  }

  @Test
  void daemonsOutliveAKilledAgentAndTheNextAgentAdoptsThemByPidFile() throws Exception {
    Path agentOut = root.resolveSibling(root.getFileName() + "-agent.out");
    Process agentProcess =
        new ProcessBuilder(
                List.of(
                    TestProcesses.java(),
                    "-Xmx64m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    AgentProcessMain.class.getName(),
                    root.toString()))
            .redirectErrorStream(true)
            .redirectOutput(agentOut.toFile())
            .start();
    processes.track(agentProcess.pid());
    Path info = new AgentLayout(root).agentInfoFile();
    await(
        "the agent process to serve (output in " + agentOut + ")",
        () ->
            Files.exists(info)
                && readInfo(info).getProperty("pid", "").equals("" + agentProcess.pid()));
    NodeAgentBlockingStub first =
        clients.plain(HostPort.parse(readInfo(info).getProperty("endpoint")));

    for (String name : List.of("storage-1", "meta-1")) {
      first.deploy(DeployRequest.newBuilder().setSpec(fakeSpec(name)).build());
      first.start(DaemonRef.newBuilder().setName(name).build());
    }
    await(
        "storage-1 healthy", () -> status(first, "storage-1").getHealth() == Health.HEALTH_HEALTHY);
    long daemonPid = processes.track(status(first, "storage-1").getPid());
    long metaPid = processes.track(status(first, "meta-1").getPid());

    agentProcess.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to stop anything
    agentProcess.waitFor();

    assertThat(alive(daemonPid)).as("the daemon outlives its agent").isTrue();
    int port =
        Integer.parseInt(
            Files.readString(new AgentLayout(root).daemonDir("storage-1").resolve("port")).strip());
    assertThat(httpStatus("http://127.0.0.1:" + port + "/health"))
        .as("and keeps serving")
        .isEqualTo(200);

    secondAgent = NodeAgent.start(AgentConfig.local(root));
    NodeAgentBlockingStub second = clients.plain(secondAgent.endpoint());

    DaemonStatus adopted = status(second, "storage-1");
    assertThat(adopted.getState()).isEqualTo(DaemonState.DAEMON_STATE_RUNNING);
    assertThat(adopted.getPid()).as("same process, not restarted").isEqualTo(daemonPid);
    assertThat(adopted.getAdopted()).isTrue();
    assertThat(adopted.getRestartCount()).isZero();
    assertThat(adopted.getHealth()).isEqualTo(Health.HEALTH_HEALTHY);
    assertThat(status(second, "meta-1").getPid()).isEqualTo(metaPid);

    // An adopted daemon (not the agent's child) is stopped like its own.
    DaemonStatus metaStopped = second.stop(StopRequest.newBuilder().setName("meta-1").build());
    assertThat(metaStopped.getState()).isEqualTo(DaemonState.DAEMON_STATE_STOPPED);
    assertThat(metaStopped.getLastExitReason()).startsWith("stopped on request");
    assertThat(alive(metaPid)).isFalse();

    // The adopting agent supervises it like its own: a crash is restarted.
    ProcessHandle.of(daemonPid).orElseThrow().destroyForcibly();
    await(
        "restart after the adopted daemon died",
        () -> {
          DaemonStatus s = status(second, "storage-1");
          return s.getState() == DaemonState.DAEMON_STATE_RUNNING && s.getPid() != daemonPid;
        });
    DaemonStatus restarted = status(second, "storage-1");
    processes.track(restarted.getPid());
    assertThat(restarted.getRestartCount()).isEqualTo(1);
    assertThat(restarted.getAdopted()).isFalse();
    assertThat(restarted.getLastExitReason()).contains("exit status unknown");

    DaemonStatus stopped = second.stop(StopRequest.newBuilder().setName("storage-1").build());
    assertThat(stopped.getState()).isEqualTo(DaemonState.DAEMON_STATE_STOPPED);
    assertThat(alive(restarted.getPid())).isFalse();
  }

  private static Properties readInfo(Path file) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(file)));
    } catch (java.io.IOException e) {
      // being rewritten: read again on the next poll
    }
    return p;
  }

  private static int httpStatus(String url) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }
}
