package io.catena.agents;

import io.catena.protocol.agent.DaemonRef;
import io.catena.protocol.agent.DaemonState;
import io.catena.protocol.agent.DaemonStatus;
import io.catena.protocol.agent.DeployRequest;
import io.catena.protocol.agent.FactsRequest;
import io.catena.protocol.agent.Health;
import io.catena.protocol.agent.LogChunk;
import io.catena.protocol.agent.LogsRequest;
import io.catena.protocol.agent.MetricsReply;
import io.catena.protocol.agent.MetricsRequest;
import io.catena.protocol.agent.NodeAgentGrpc;
import io.catena.protocol.agent.NodeFacts;
import io.catena.protocol.agent.PrepareTargetsReply;
import io.catena.protocol.agent.PrepareTargetsRequest;
import io.catena.protocol.agent.RemoveReply;
import io.catena.protocol.agent.RemoveRequest;
import io.catena.protocol.agent.StatusReply;
import io.catena.protocol.agent.StatusRequest;
import io.catena.protocol.agent.StopRequest;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The NodeAgent gRPC service: translates wire messages to the supervisor's calls and back. */
final class NodeAgentService extends NodeAgentGrpc.NodeAgentImplBase {

  static final Metadata.Key<ErrorDetail> ERROR_DETAIL =
      ProtoUtils.keyForProto(ErrorDetail.getDefaultInstance());

  private static final Logger LOG = LoggerFactory.getLogger(NodeAgentService.class);
  private static final int MAX_TAIL_LINES = 100_000;
  private static final Duration FOLLOW_POLL = Duration.ofMillis(200);

  private final DaemonSupervisor supervisor;
  private final NodeFactsCollector facts;
  private final AgentMetrics metrics;

  NodeAgentService(DaemonSupervisor supervisor, NodeFactsCollector facts, AgentMetrics metrics) {
    this.supervisor = supervisor;
    this.facts = facts;
    this.metrics = metrics;
  }

  @Override
  public void deploy(DeployRequest request, StreamObserver<DaemonStatus> reply) {
    unary(reply, () -> toWire(supervisor.deploy(request.getSpec())));
  }

  @Override
  public void start(DaemonRef request, StreamObserver<DaemonStatus> reply) {
    unary(reply, () -> toWire(supervisor.start(request.getName())));
  }

  @Override
  public void stop(StopRequest request, StreamObserver<DaemonStatus> reply) {
    unary(reply, () -> toWire(supervisor.stop(request.getName(), grace(request))));
  }

  @Override
  public void restart(StopRequest request, StreamObserver<DaemonStatus> reply) {
    unary(reply, () -> toWire(supervisor.restart(request.getName(), grace(request))));
  }

  @Override
  public void remove(RemoveRequest request, StreamObserver<RemoveReply> reply) {
    unary(
        reply,
        () -> {
          supervisor.remove(request.getName(), request.getDeleteData());
          return RemoveReply.getDefaultInstance();
        });
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusReply> reply) {
    unary(
        reply,
        () -> {
          List<DaemonSnapshot> daemons =
              request.getName().isEmpty()
                  ? supervisor.statusAll()
                  : List.of(supervisor.status(request.getName()));
          StatusReply.Builder out = StatusReply.newBuilder();
          daemons.forEach(d -> out.addDaemons(toWire(d)));
          return out.build();
        });
  }

  @Override
  public void logs(LogsRequest request, StreamObserver<LogChunk> reply) {
    Path file;
    LogTail.Read first;
    try {
      file = supervisor.logFile(request.getName());
      first = LogTail.last(file, Math.min(request.getTailLines(), MAX_TAIL_LINES));
    } catch (RuntimeException | IOException e) {
      reply.onError(toStatus(e));
      return;
    }
    if (!first.lines().isEmpty()) {
      reply.onNext(LogChunk.newBuilder().addAllLines(first.lines()).build());
    }
    if (!request.getFollow()) {
      reply.onCompleted();
      return;
    }
    ServerCallStreamObserver<LogChunk> call = (ServerCallStreamObserver<LogChunk>) reply;
    Thread.ofVirtual()
        .name("catena-agent-logs-" + request.getName())
        .start(() -> follow(request.getName(), file, first.position(), call));
  }

  private void follow(
      String name, Path file, long position, ServerCallStreamObserver<LogChunk> call) {
    try {
      long at = position;
      while (!call.isCancelled()) {
        if (!supervisor.isDeployed(name)) {
          call.onCompleted();
          return;
        }
        LogTail.Read read = LogTail.since(file, at);
        at = read.position();
        if (!read.lines().isEmpty()) {
          call.onNext(LogChunk.newBuilder().addAllLines(read.lines()).build());
        } else {
          Thread.sleep(FOLLOW_POLL);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.onError(Status.CANCELLED.withDescription("agent shutting down").asRuntimeException());
    } catch (StatusRuntimeException e) {
      LOG.debug("log follower of {} ended: {}", name, e.getStatus());
    } catch (IOException | RuntimeException e) {
      if (!call.isCancelled()) {
        call.onError(toStatus(e));
      }
    }
  }

  @Override
  public void metrics(MetricsRequest request, StreamObserver<MetricsReply> reply) {
    unary(reply, () -> MetricsReply.newBuilder().setPrometheusText(metrics.scrape()).build());
  }

  @Override
  public void prepareTargets(
      PrepareTargetsRequest request, StreamObserver<PrepareTargetsReply> reply) {
    unary(
        reply,
        () -> {
          Path disk = Path.of(request.getDiskPath());
          return PrepareTargetsReply.newBuilder()
              .addAllTargets(TargetPreparer.prepare(disk, request.getTargetIdsList()))
              .setDisk(NodeFactsCollector.describe(disk))
              .build();
        });
  }

  @Override
  public void facts(FactsRequest request, StreamObserver<NodeFacts> reply) {
    unary(reply, facts::collect);
  }

  private static Optional<Duration> grace(StopRequest request) {
    return request.getGraceSeconds() > 0
        ? Optional.of(Duration.ofSeconds(request.getGraceSeconds()))
        : Optional.empty();
  }

  static DaemonStatus toWire(DaemonSnapshot d) {
    DaemonStatus.Builder out =
        DaemonStatus.newBuilder()
            .setName(d.name())
            .setKind(d.kind())
            .setVersion(d.version())
            .setState(
                switch (d.state()) {
                  case STOPPED -> DaemonState.DAEMON_STATE_STOPPED;
                  case RUNNING -> DaemonState.DAEMON_STATE_RUNNING;
                  case BACKING_OFF -> DaemonState.DAEMON_STATE_BACKING_OFF;
                  case FLAPPING -> DaemonState.DAEMON_STATE_FLAPPING;
                })
            .setUptimeMillis(d.uptime().toMillis())
            .setRestartCount(d.restartCount())
            .setLastExitReason(d.lastExitReason())
            .setHealth(
                switch (d.health().health()) {
                  case HEALTHY -> Health.HEALTH_HEALTHY;
                  case UNHEALTHY -> Health.HEALTH_UNHEALTHY;
                  case UNKNOWN -> Health.HEALTH_UNKNOWN;
                })
            .setHealthDetail(d.health().detail())
            .setAdopted(d.adopted())
            .setDaemonDir(d.daemonDir().toString());
    d.pid().ifPresent(out::setPid);
    d.nextStartAt().ifPresent(at -> out.setNextStartEpochMillis(at.toEpochMilli()));
    d.dataDirs().forEach(dir -> out.addDataDirs(dir.toString()));
    return out.build();
  }

  private static <T> void unary(StreamObserver<T> reply, Callable<T> call) {
    T result;
    try {
      result = call.call();
    } catch (Exception e) {
      reply.onError(toStatus(e));
      return;
    }
    reply.onNext(result);
    reply.onCompleted();
  }

  static StatusRuntimeException toStatus(Exception e) {
    Status status = Status.INTERNAL;
    ErrorCode code = ErrorCode.INTERNAL;
    boolean retryable = false;
    if (e instanceof AgentException a) {
      switch (a.reason()) {
        case NOT_FOUND -> {
          status = Status.NOT_FOUND;
          code = ErrorCode.NOT_FOUND;
        }
        case FAILED_PRECONDITION -> {
          status = Status.FAILED_PRECONDITION;
          code = ErrorCode.INVALID_ARGUMENT;
          retryable = true;
        }
        case INVALID_ARGUMENT -> {
          status = Status.INVALID_ARGUMENT;
          code = ErrorCode.INVALID_ARGUMENT;
        }
      }
    } else if (e instanceof IllegalArgumentException) {
      status = Status.INVALID_ARGUMENT;
      code = ErrorCode.INVALID_ARGUMENT;
    } else {
      LOG.warn("agent request failed", e);
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Metadata trailers = new Metadata();
    trailers.put(
        ERROR_DETAIL,
        ErrorDetail.newBuilder().setCode(code).setMessage(message).setRetryable(retryable).build());
    return status.withDescription(message).asRuntimeException(trailers);
  }
}
