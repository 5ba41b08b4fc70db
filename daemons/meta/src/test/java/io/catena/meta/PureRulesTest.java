package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PureRulesTest {

  private static Inode inode(int mode, int uid, int gid) {
    return new Inode(1, 2, InodeType.FILE, mode, uid, gid, 1, 0, 0, 0, 0, null, null);
  }

  @ParameterizedTest(name = "mode {0} owner {1}:{2}, caller {3}:{4} wants {5} -> {6}")
  @CsvSource({
    "0640, 10, 20, 10, 99, READ, true",
    "0640, 10, 20, 10, 99, WRITE, true",
    "0640, 10, 20, 10, 99, EXECUTE, false",
    "0640, 10, 20, 11, 20, READ, true",
    "0640, 10, 20, 11, 20, WRITE, false",
    "0640, 10, 20, 11, 21, READ, false",
    "0604, 10, 20, 11, 20, READ, false",
    "0604, 10, 20, 11, 21, READ, true",
    "0000, 10, 20, 0, 0, WRITE, true",
    "0711, 10, 20, 12, 30, EXECUTE, true",
  })
  void permissionBits(
      String mode, int uid, int gid, int callerUid, int callerGid, Access access, boolean allowed) {
    Principal caller = new Principal(1, callerUid, callerGid, 0, false);
    assertThat(Permissions.allows(inode(Integer.parseInt(mode, 8), uid, gid), caller, access))
        .isEqualTo(allowed);
  }

  @Test
  void placementIsDeterministicAndTakesConsecutiveChainsFromTheStart() {
    List<Integer> table = List.of(10, 11, 12, 13, 14, 15);
    List<Integer> a = StripePlacement.choose(table, 3, 4, 77);
    assertThat(a).isEqualTo(StripePlacement.choose(table, 3, 4, 77));
    assertThat(a).containsExactlyInAnyOrder(14, 15, 10);
    assertThat(StripePlacement.choose(table, 6, -1, 5)).containsExactlyInAnyOrderElementsOf(table);
    assertThat(StripePlacement.choose(table, 1, 8, 5)).containsExactly(12);
    assertThatThrownBy(() -> StripePlacement.choose(table, 7, 0, 0))
        .isInstanceOf(MetaException.class);
    assertThatThrownBy(() -> StripePlacement.choose(table, 0, 0, 0))
        .isInstanceOf(MetaException.class);
  }

  @Test
  void shuffledOrdersAreSpreadEvenly() {
    List<Integer> table = List.of(1, 2, 3, 4);
    Map<Integer, Integer> firstChain = new HashMap<>();
    for (long seed = 0; seed < 4000; seed++) {
      firstChain.merge(StripePlacement.choose(table, 4, 0, seed).getFirst(), 1, Integer::sum);
    }
    assertThat(firstChain.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
  }

  @Test
  void pathsParseIntoNames() {
    assertThat(PathNames.parse("/")).isEmpty();
    assertThat(PathNames.parse("//a///b/")).containsExactly("a", "b");
    for (String bad : new String[] {"", "a/b", "/a/./b", "/..", "/a\0b"}) {
      assertThatThrownBy(() -> PathNames.parse(bad))
          .isInstanceOf(MetaException.class)
          .satisfies(
              e ->
                  assertThat(((MetaException) e).code()).isEqualTo(MetaErrorCode.INVALID_ARGUMENT));
    }
  }

  @Test
  void tokensRoundTripAndRejectTampering() {
    byte[] secret = TokenSecrets.randomBytes(32);
    String token = TokenSecrets.format(42, secret);
    TokenSecrets.Parsed parsed = TokenSecrets.parse(token);
    assertThat(parsed.tokenId()).isEqualTo(42);
    assertThat(parsed.secret()).isEqualTo(secret);
    assertThat(TokenSecrets.parse("ctn1.42")).isNull();
    assertThat(TokenSecrets.parse("ctn1.x.abc")).isNull();
    assertThat(TokenSecrets.parse("Bearer abc")).isNull();
    byte[] salt = TokenSecrets.randomBytes(16);
    TokenRecord record =
        new TokenRecord(42, 1, 0, 0, salt, TokenSecrets.hash(salt, secret), 0, 0, false);
    assertThat(TokenSecrets.matches(record, secret)).isTrue();
    secret[0] ^= 1;
    assertThat(TokenSecrets.matches(record, secret)).isFalse();
  }

  @Test
  void daemonConfigParsesFlagsAndChainTables() {
    MetaDaemonConfig c =
        MetaDaemonConfig.parse(
            "--listen",
            "127.0.0.1:7001",
            "--kv",
            "memory:x",
            "--admin-token-file",
            "/tmp/t",
            "--chain-table",
            "1=1,2,5-7");
    assertThat(c.port()).isEqualTo(7001);
    assertThat(c.chainTables()).containsExactly(new ChainTable(1, 1, List.of(1, 2, 5, 6, 7)));
    assertThatThrownBy(() -> MetaDaemonConfig.parse("--listen", "1.2.3.4:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--kv");
  }
}
