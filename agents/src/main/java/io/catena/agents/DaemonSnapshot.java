package io.catena.agents;

import io.catena.protocol.agent.DaemonKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** One daemon as the supervisor sees it at one moment. */
public record DaemonSnapshot(
    String name,
    DaemonKind kind,
    String version,
    SupervisedDaemon.State state,
    OptionalLong pid,
    Duration uptime,
    int restartCount,
    String lastExitReason,
    HealthProber.Result health,
    boolean adopted,
    Optional<Instant> nextStartAt,
    Path daemonDir,
    List<Path> dataDirs) {}
