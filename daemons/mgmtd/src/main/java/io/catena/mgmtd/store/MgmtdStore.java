package io.catena.mgmtd.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvEngine;
import io.catena.kv.KvReader;
import io.catena.kv.KvTransaction;
import io.catena.kv.RangeResult;
import io.catena.mgmtd.cluster.MgmtdException;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.ClusterConfig;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.LeaseRecord;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * mgmtd's state in the KvEngine. Every change is one transaction that first re-reads the primary
 * lease and refuses unless this instance holds it: a deposed primary cannot write, even if it has
 * not noticed yet (the read makes a concurrent takeover conflict with the change).
 */
public final class MgmtdStore {

  private static final int PAGE = 1000;

  private final KvEngine kv;

  public MgmtdStore(KvEngine kv) {
    this.kv = kv;
  }

  /** Reads the whole cluster state in one transaction. */
  public StoredCluster load() {
    return kv.run(
        tx -> {
          byte[] version = tx.get(MgmtdKeys.ROUTING_VERSION);
          byte[] config = tx.get(MgmtdKeys.CONFIG);
          Set<Long> adminOffline = new HashSet<>();
          for (KeyValue kvp : scan(tx, MgmtdKeys.ADMIN_OFFLINE)) {
            adminOffline.add(MgmtdKeys.targetOfAdminOffline(kvp.key()));
          }
          return new StoredCluster(
              version == null ? 0 : Keys.readU64(version, 0),
              parseAll(tx, MgmtdKeys.NODE, NodeInfo::parseFrom),
              parseAll(tx, MgmtdKeys.TARGET, TargetInfo::parseFrom),
              parseAll(tx, MgmtdKeys.CHAIN, ChainInfo::parseFrom),
              parseAll(tx, MgmtdKeys.TABLE, ChainTableInfo::parseFrom),
              parseAll(tx, MgmtdKeys.DAEMON, DaemonInfo::parseFrom),
              adminOffline,
              config == null
                  ? ClusterConfig.getDefaultInstance()
                  : parse(config, ClusterConfig::parseFrom));
        });
  }

  /**
   * Applies {@code batch} and bumps the routing version, if {@code holderId} holds the lease at
   * {@code nowMs}. Returns the new routing version.
   */
  public long commit(StoreBatch batch, String holderId, long nowMs) {
    return kv.run(
        tx -> {
          LeaseRecord lease = readLease(tx).orElse(null);
          if (lease == null
              || !lease.getHolderId().equals(holderId)
              || lease.getExpiresAtMs() <= nowMs) {
            throw new MgmtdException(
                ErrorCode.NOT_PRIMARY,
                "this mgmtd does not hold the primary lease"
                    + (lease == null ? "" : " (held by " + lease.getHolderAddress() + ")"));
          }
          byte[] current = tx.get(MgmtdKeys.ROUTING_VERSION);
          long next = (current == null ? 0 : Keys.readU64(current, 0)) + 1;
          tx.set(MgmtdKeys.ROUTING_VERSION, Keys.u64(next));
          for (StoreBatch.Op op : batch.ops()) {
            if (op.value() == null) {
              tx.clear(op.key());
            } else {
              tx.set(op.key(), op.value());
            }
          }
          return next;
        });
  }

  /** The lease as stored now. */
  public Optional<LeaseRecord> lease() {
    return kv.run(MgmtdStore::readLease);
  }

  /**
   * Takes or extends the primary lease for {@code holderId} until {@code nowMs + leaseMs}, when it
   * is free, expired, or already this holder's. Returns the lease as stored afterwards.
   */
  public LeaseRecord acquireLease(String holderId, String address, long nowMs, long leaseMs) {
    return kv.run(
        tx -> {
          LeaseRecord current = readLease(tx).orElse(null);
          boolean mine = current != null && current.getHolderId().equals(holderId);
          boolean free = current == null || current.getExpiresAtMs() <= nowMs;
          if (!mine && !free) {
            return current;
          }
          long epoch = current == null ? 1 : current.getEpoch() + (mine ? 0 : 1);
          LeaseRecord next =
              LeaseRecord.newBuilder()
                  .setHolderId(holderId)
                  .setHolderAddress(address)
                  .setExpiresAtMs(nowMs + leaseMs)
                  .setEpoch(epoch)
                  .build();
          tx.set(MgmtdKeys.LEASE, next.toByteArray());
          return next;
        });
  }

  /** Gives the lease up at shutdown, so a standby need not wait for it to expire. */
  public void releaseLease(String holderId) {
    kv.run(
        tx -> {
          LeaseRecord current = readLease(tx).orElse(null);
          if (current != null && current.getHolderId().equals(holderId)) {
            tx.set(MgmtdKeys.LEASE, current.toBuilder().setExpiresAtMs(0).build().toByteArray());
          }
          return null;
        });
  }

  private static Optional<LeaseRecord> readLease(KvReader tx) {
    byte[] bytes = tx.get(MgmtdKeys.LEASE);
    return bytes == null ? Optional.empty() : Optional.of(parse(bytes, LeaseRecord::parseFrom));
  }

  private static List<KeyValue> scan(KvTransaction tx, byte[] prefix) {
    List<KeyValue> all = new ArrayList<>();
    byte[] begin = prefix;
    byte[] end = Keys.prefixEnd(prefix);
    while (true) {
      RangeResult page = tx.getRange(begin, end, PAGE);
      all.addAll(page.entries());
      if (!page.more() || page.isEmpty()) {
        return all;
      }
      begin = Keys.after(page.last().key());
    }
  }

  private static <T> List<T> parseAll(KvTransaction tx, byte[] prefix, Parser<T> parser) {
    List<T> result = new ArrayList<>();
    for (KeyValue entry : scan(tx, prefix)) {
      result.add(parse(entry.value(), parser));
    }
    return result;
  }

  private static <T> T parse(byte[] bytes, Parser<T> parser) {
    try {
      return parser.parse(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt mgmtd record in the KvEngine", e);
    }
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }
}
