package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainHeadTest {

  /** Chain 7 at version 4 over targets 101, 201, 301 on nodes 1, 2, 3 with the given states. */
  private static RoutingInfo routing(PublicState... states) {
    RoutingInfo.Builder r = RoutingInfo.newBuilder().setVersion(9);
    ChainInfo.Builder chain = ChainInfo.newBuilder().setChainId(7).setVersion(4);
    for (int i = 0; i < states.length; i++) {
      int node = i + 1;
      long target = node * 100L + 1;
      r.addNodes(NodeInfo.newBuilder().setNodeId(node).setAddress("10.0.0." + node + ":9000"));
      r.addTargets(TargetInfo.newBuilder().setTargetId(target).setNodeId(node));
      chain.addMembers(ChainMember.newBuilder().setTargetId(target).setPublicState(states[i]));
    }
    return r.addChains(chain).build();
  }

  @Test
  void theFirstWritePathMemberIsTheHeadWhenServing() {
    record Case(PublicState[] states, Optional<Long> head) {}
    PublicState s = PublicState.SERVING;
    PublicState y = PublicState.SYNCING;
    PublicState o = PublicState.OFFLINE;
    PublicState l = PublicState.LASTSRV;
    PublicState w = PublicState.WAITING;
    Case[] cases = {
      new Case(new PublicState[] {s, s, s}, Optional.of(101L)),
      new Case(new PublicState[] {o, s, s}, Optional.of(201L)),
      new Case(new PublicState[] {l, w, s}, Optional.of(301L)),
      // A SYNCING member first on the write path: the chain takes no updates now.
      new Case(new PublicState[] {y, s, s}, Optional.empty()),
      new Case(new PublicState[] {o, o, l}, Optional.empty()),
    };
    for (Case c : cases) {
      assertThat(ChainHead.of(routing(c.states()), 7).map(ChainHead::targetId))
          .as(java.util.Arrays.toString(c.states()))
          .isEqualTo(c.head());
    }
  }

  @Test
  void headCarriesTheChainVersionAndItsNodesAddress() {
    ChainHead head =
        ChainHead.of(routing(PublicState.OFFLINE, PublicState.SERVING), 7).orElseThrow();
    assertThat(head).isEqualTo(new ChainHead(7, 4, 201, "10.0.0.2:9000"));
  }

  @Test
  void unknownChainOrAddresslessNodeHasNoHead() {
    assertThat(ChainHead.of(routing(PublicState.SERVING), 8)).isEmpty();
    RoutingInfo noAddress =
        routing(PublicState.SERVING).toBuilder()
            .setNodes(0, NodeInfo.newBuilder().setNodeId(1))
            .build();
    assertThat(ChainHead.of(noAddress, 7)).isEmpty();
  }
}
