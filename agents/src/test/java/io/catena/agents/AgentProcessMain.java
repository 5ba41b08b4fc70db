package io.catena.agents;

import java.nio.file.Path;
import java.time.Duration;

/** Runs a node agent as its own process (for the test that SIGKILLs it): {@code ROOT}. */
public final class AgentProcessMain {

  public static void main(String[] args) throws Exception {
    AgentConfig config =
        AgentConfig.local(Path.of(args[0]))
            .withRestartDefaults(
                new BackoffPolicy(
                    Duration.ofMillis(100),
                    Duration.ofMillis(400),
                    Duration.ofSeconds(60),
                    5,
                    Duration.ofMinutes(2)));
    NodeAgent agent = NodeAgent.start(config);
    System.out.println("agent serving on " + agent.endpoint());
    System.out.flush();
    agent.awaitTermination();
  }
}
