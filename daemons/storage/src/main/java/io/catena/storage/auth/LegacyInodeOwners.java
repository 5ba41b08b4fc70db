package io.catena.storage.auth;

import io.catena.protocol.meta.MetaServiceGrpc;
import io.catena.protocol.meta.StatRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Who owns an inode created before inode ids carried their tenant (tag 0, {@code
 * io.catena.protocol.chunk.InodeIds}). Only meta knows: it is asked once per (tenant, inode) with
 * the client's own token ({@code MetaService.Stat} by inode id, which finds only the caller's
 * tenant's inodes). Ownership never changes and inode ids are never reused, so a "yes" is kept for
 * good (up to {@code MAX_ENTRIES}); a "no" for 10 s (a rolling upgrade may still create legacy
 * ids). New inodes never come here.
 */
public final class LegacyInodeOwners {

  /** Asks meta; empty when meta cannot answer. */
  @FunctionalInterface
  public interface Source {
    Optional<Boolean> owns(String token, long inodeId);
  }

  private static final int MAX_ENTRIES = 1 << 20;
  private static final long REFUSAL_TTL_NANOS = Duration.ofSeconds(10).toNanos();

  private record Key(long tenantId, long inodeId) {}

  private record Answer(boolean owned, long atNanos) {}

  private final Source source;
  private final LongSupplier nanoClock;
  private final Map<Key, Answer> answers = new ConcurrentHashMap<>();

  public LegacyInodeOwners(Source source, LongSupplier nanoClock) {
    this.source = source;
    this.nanoClock = nanoClock;
  }

  /** Never a legacy owner: every legacy chunk is refused to tenants (admins still reach it). */
  public static LegacyInodeOwners none() {
    return new LegacyInodeOwners((token, inode) -> Optional.of(false), System::nanoTime);
  }

  /** Asks meta's {@code MetaService.Stat(inode_id)} with the client's token. */
  public static LegacyInodeOwners fromMeta(ManagedChannel meta, Duration deadline) {
    MetaServiceGrpc.MetaServiceBlockingStub stub = MetaServiceGrpc.newBlockingStub(meta);
    Metadata.Key<String> auth = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    return new LegacyInodeOwners(
        (token, inode) -> {
          Metadata headers = new Metadata();
          headers.put(auth, "Bearer " + token);
          try {
            stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .stat(StatRequest.newBuilder().setInodeId(inode).build());
            return Optional.of(true);
          } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND
                || code == Status.Code.UNAUTHENTICATED
                || code == Status.Code.PERMISSION_DENIED) {
              return Optional.of(false);
            }
            return Optional.empty();
          }
        },
        System::nanoTime);
  }

  /** Whether tenant {@code tenantId} (whose token this is) owns legacy inode {@code inodeId}. */
  public Optional<Boolean> owns(String token, long tenantId, long inodeId) {
    Key key = new Key(tenantId, inodeId);
    long now = nanoClock.getAsLong();
    Answer known = answers.get(key);
    if (known != null && (known.owned() || now - known.atNanos() < REFUSAL_TTL_NANOS)) {
      return Optional.of(known.owned());
    }
    Optional<Boolean> asked = source.owns(token, inodeId);
    if (asked.isPresent()) {
      if (answers.size() >= MAX_ENTRIES) {
        answers.clear();
      }
      answers.put(key, new Answer(asked.get(), now));
    }
    return asked;
  }
}
