package io.catena.meta;

import com.google.protobuf.ByteString;
import io.catena.protocol.kv.AbortReply;
import io.catena.protocol.kv.AbortRequest;
import io.catena.protocol.kv.CloseSessionReply;
import io.catena.protocol.kv.CloseSessionRequest;
import io.catena.protocol.kv.CommitReply;
import io.catena.protocol.kv.CommitRequest;
import io.catena.protocol.kv.DeleteReply;
import io.catena.protocol.kv.DeleteRequest;
import io.catena.protocol.kv.ExistsReply;
import io.catena.protocol.kv.ExistsRequest;
import io.catena.protocol.kv.KeepAliveRequest;
import io.catena.protocol.kv.KvIndexGrpc;
import io.catena.protocol.kv.KvPolicy;
import io.catena.protocol.kv.KvStatus;
import io.catena.protocol.kv.LookupReply;
import io.catena.protocol.kv.LookupRequest;
import io.catena.protocol.kv.LookupResult;
import io.catena.protocol.kv.OpenSessionRequest;
import io.catena.protocol.kv.ReserveReply;
import io.catena.protocol.kv.ReserveRequest;
import io.catena.protocol.kv.ReserveResult;
import io.catena.protocol.kv.SessionReply;
import io.catena.protocol.kv.SetPolicyRequest;
import io.catena.protocol.kv.StatsReply;
import io.catena.protocol.kv.StatsRequest;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;

/** The gRPC face of {@link KvIndexStore}: wire ↔ domain only; the caller comes from its token. */
public final class KvIndexService extends KvIndexGrpc.KvIndexImplBase {

  private final KvIndexStore store;

  public KvIndexService(KvIndexStore store) {
    this.store = store;
  }

  @Override
  public void openSession(OpenSessionRequest req, StreamObserver<SessionReply> out) {
    Calls.unary(out, () -> session(store.openSession(AuthInterceptor.principal(), req.getTtlMs())));
  }

  @Override
  public void keepAlive(KeepAliveRequest req, StreamObserver<SessionReply> out) {
    Calls.unary(
        out,
        () ->
            session(
                store.keepAlive(AuthInterceptor.principal(), req.getSessionId(), req.getTtlMs())));
  }

  @Override
  public void closeSession(CloseSessionRequest req, StreamObserver<CloseSessionReply> out) {
    Calls.unary(
        out,
        () ->
            CloseSessionReply.newBuilder()
                .setReleased(store.closeSession(AuthInterceptor.principal(), req.getSessionId()))
                .build());
  }

  @Override
  public void reserve(ReserveRequest req, StreamObserver<ReserveReply> out) {
    Calls.unary(
        out,
        () -> {
          List<KvIndexStore.ReserveItem> items =
              req.getItemsList().stream()
                  .map(
                      i ->
                          new KvIndexStore.ReserveItem(
                              i.getKey().toByteArray(),
                              i.getLength(),
                              i.getPrevKey().toByteArray(),
                              i.getTtlMs()))
                  .toList();
          KvIndexStore.Placed placed =
              store.reserve(
                  AuthInterceptor.principal(), req.getSessionId(), items, req.getOverwrite());
          ReserveReply.Builder b = ReserveReply.newBuilder();
          for (KvIndexStore.Result r : placed.results()) {
            ReserveResult.Builder rb = ReserveResult.newBuilder().setStatus(status(r.outcome()));
            if (r.location() != null) {
              rb.setLocation(location(r.location()));
            }
            b.addResults(rb);
          }
          slabs(placed.slabs()).forEach(b::addSlabs);
          return b.build();
        });
  }

  @Override
  public void commit(CommitRequest req, StreamObserver<CommitReply> out) {
    Calls.unary(
        out,
        () -> {
          List<KvIndexStore.CommitItem> items =
              req.getItemsList().stream()
                  .map(i -> new KvIndexStore.CommitItem(i.getKey().toByteArray(), i.getCrc32C()))
                  .toList();
          CommitReply.Builder b = CommitReply.newBuilder();
          store.commit(AuthInterceptor.principal(), req.getSessionId(), items).stream()
              .map(KvIndexService::status)
              .forEach(b::addStatuses);
          return b.build();
        });
  }

  @Override
  public void abort(AbortRequest req, StreamObserver<AbortReply> out) {
    Calls.unary(
        out,
        () -> {
          AbortReply.Builder b = AbortReply.newBuilder();
          store
              .abort(AuthInterceptor.principal(), req.getSessionId(), keys(req.getKeysList()))
              .stream()
              .map(KvIndexService::status)
              .forEach(b::addStatuses);
          return b.build();
        });
  }

  @Override
  public void lookup(LookupRequest req, StreamObserver<LookupReply> out) {
    Calls.unary(
        out,
        () -> {
          KvIndexStore.Found found =
              store.lookup(
                  AuthInterceptor.principal(), keys(req.getKeysList()), req.getPrefixOnly());
          LookupReply.Builder b =
              LookupReply.newBuilder()
                  .setLeaseId(found.leaseId())
                  .setLeaseExpiresAtMs(found.leaseUntilMs());
          for (KvIndexStore.Result r : found.results()) {
            LookupResult.Builder rb = LookupResult.newBuilder().setStatus(status(r.outcome()));
            if (r.location() != null) {
              rb.setLocation(location(r.location()));
            }
            b.addResults(rb);
          }
          slabs(found.slabs()).forEach(b::addSlabs);
          return b.build();
        });
  }

  @Override
  public void exists(ExistsRequest req, StreamObserver<ExistsReply> out) {
    Calls.unary(
        out,
        () ->
            ExistsReply.newBuilder()
                .setPrefixLength(store.exists(AuthInterceptor.principal(), keys(req.getKeysList())))
                .build());
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteReply> out) {
    Calls.unary(
        out,
        () -> {
          DeleteReply.Builder b = DeleteReply.newBuilder();
          store.delete(AuthInterceptor.principal(), keys(req.getKeysList())).stream()
              .map(KvIndexService::status)
              .forEach(b::addStatuses);
          return b.build();
        });
  }

  @Override
  public void setPolicy(SetPolicyRequest req, StreamObserver<StatsReply> out) {
    Calls.unary(
        out,
        () -> {
          KvPolicy p = req.getPolicy();
          return stats(
              store.setPolicy(
                  AuthInterceptor.principal(),
                  new KvIndexStore.Policy(
                      p.getCapacityBytes(),
                      p.getHighWatermarkPct(),
                      p.getLowWatermarkPct(),
                      p.getDefaultTtlMs())));
        });
  }

  @Override
  public void stats(StatsRequest req, StreamObserver<StatsReply> out) {
    Calls.unary(out, () -> stats(store.stats(AuthInterceptor.principal())));
  }

  private static List<byte[]> keys(List<ByteString> keys) {
    return keys.stream().map(ByteString::toByteArray).toList();
  }

  private static SessionReply session(KvIndexStore.Session s) {
    return SessionReply.newBuilder().setSessionId(s.id()).setExpiresAtMs(s.expiresAtMs()).build();
  }

  static KvStatus status(KvIndexStore.Outcome outcome) {
    return switch (outcome) {
      case OK -> KvStatus.OK;
      case NOT_FOUND -> KvStatus.NOT_FOUND;
      case EXISTS -> KvStatus.EXISTS;
      case BUSY -> KvStatus.BUSY;
      case NO_SPACE -> KvStatus.NO_SPACE;
      case TOO_LARGE -> KvStatus.TOO_LARGE;
      case NOT_RESERVED -> KvStatus.NOT_RESERVED;
    };
  }

  private static io.catena.protocol.kv.Location location(KvIndexStore.Location l) {
    return io.catena.protocol.kv.Location.newBuilder()
        .setSlabInodeId(l.slab())
        .setOffset(l.offset())
        .setLength(l.length())
        .setCrc32C(l.crc32c())
        .build();
  }

  private static List<io.catena.protocol.kv.Slab> slabs(Map<Long, KvIndexStore.Slab> slabs) {
    return slabs.values().stream()
        .map(
            s ->
                io.catena.protocol.kv.Slab.newBuilder()
                    .setInodeId(s.inodeId())
                    .setPath(s.path())
                    .setSlotSize(s.slotSize())
                    .setLayout(ProtoMapper.layout(s.layout()))
                    .build())
        .toList();
  }

  private static StatsReply stats(KvIndexStore.Stats s) {
    KvIndexStore.Policy p = s.policy();
    return StatsReply.newBuilder()
        .setPolicy(
            KvPolicy.newBuilder()
                .setCapacityBytes(p.capacityBytes())
                .setHighWatermarkPct(p.highPct())
                .setLowWatermarkPct(p.lowPct())
                .setDefaultTtlMs(p.defaultTtlMs()))
        .setEffectiveCapacity(s.effectiveCapacity())
        .setEntries(s.entries())
        .setValueBytes(s.valueBytes())
        .setSlotBytes(s.slotBytes())
        .setSlabBytes(s.slabBytes())
        .setEvictions(s.evictions())
        .setExpirations(s.expirations())
        .setReclaimedReservations(s.reclaimedReservations())
        .build();
  }
}
