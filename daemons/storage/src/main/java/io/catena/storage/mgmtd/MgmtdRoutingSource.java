package io.catena.storage.mgmtd;

import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.storage.auth.ChainTableIndex;
import io.catena.storage.chain.ChainMember;
import io.catena.storage.chain.ChainView;
import io.catena.storage.chain.PublicTargetState;
import io.catena.storage.chain.RoutingSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Routing as mgmtd publishes it: follows {@code WatchRoutingInfo} (across mgmtd failovers) and
 * turns each chain into a {@link ChainView} whose members carry their node's storage address.
 */
public final class MgmtdRoutingSource implements RoutingSource, AutoCloseable {

  private final Map<Integer, ChainView> chains = new ConcurrentHashMap<>();
  private final List<Consumer<ChainView>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<RoutingInfo>> infoListeners = new CopyOnWriteArrayList<>();
  private final ChainTableIndex chainTables = new ChainTableIndex();
  private volatile long version;
  private AutoCloseable watch;

  /** Starts following mgmtd. */
  public void start(MgmtdClient mgmtd) {
    watch = mgmtd.watchRouting(this::apply);
  }

  /** The chain tables listing each chain, for tenant isolation on the I/O path. */
  public ChainTableIndex chainTables() {
    return chainTables;
  }

  /** The routing version last applied. */
  public long version() {
    return version;
  }

  @Override
  public Optional<ChainView> chain(int chainId) {
    return Optional.ofNullable(chains.get(chainId));
  }

  @Override
  public void subscribe(Consumer<ChainView> listener) {
    listeners.add(listener);
  }

  /** Calls {@code listener} with every routing info applied, after its chains are installed. */
  public void subscribeInfo(Consumer<RoutingInfo> listener) {
    infoListeners.add(listener);
  }

  /** Installs the chains of {@code info} that are newer than the ones held. */
  public void apply(RoutingInfo info) {
    for (ChainView view : views(info)) {
      boolean[] newer = {false};
      chains.compute(
          view.chainId(),
          (id, old) -> {
            if (old == null || view.version() > old.version()) {
              newer[0] = true;
              return view;
            }
            return old;
          });
      if (newer[0]) {
        listeners.forEach(l -> l.accept(view));
      }
    }
    chainTables.apply(info);
    version = info.getVersion();
    infoListeners.forEach(l -> l.accept(info));
  }

  static List<ChainView> views(RoutingInfo info) {
    Map<Integer, String> nodeAddress = new HashMap<>();
    for (NodeInfo node : info.getNodesList()) {
      nodeAddress.put(node.getNodeId(), node.getAddress());
    }
    Map<Long, Integer> targetNode = new HashMap<>();
    for (TargetInfo target : info.getTargetsList()) {
      targetNode.put(target.getTargetId(), target.getNodeId());
    }
    List<ChainView> views = new ArrayList<>();
    for (ChainInfo chain : info.getChainsList()) {
      List<ChainMember> members = new ArrayList<>();
      for (var m : chain.getMembersList()) {
        Integer node = targetNode.get(m.getTargetId());
        String address = node == null ? "" : nodeAddress.getOrDefault(node, "");
        members.add(new ChainMember(m.getTargetId(), state(m.getPublicState()), address));
      }
      views.add(new ChainView(chain.getChainId(), chain.getVersion(), members));
    }
    return views;
  }

  private static PublicTargetState state(io.catena.protocol.mgmtd.PublicState state) {
    return switch (state) {
      case SERVING -> PublicTargetState.SERVING;
      case LASTSRV -> PublicTargetState.LASTSRV;
      case SYNCING -> PublicTargetState.SYNCING;
      case WAITING -> PublicTargetState.WAITING;
      case OFFLINE, PUBLIC_STATE_UNSPECIFIED, UNRECOGNIZED -> PublicTargetState.OFFLINE;
    };
  }

  @Override
  public void close() throws Exception {
    if (watch != null) {
      watch.close();
    }
  }
}
