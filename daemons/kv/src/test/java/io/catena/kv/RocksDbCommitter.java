package io.catena.kv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of the crash test: commits transaction n (one item plus the "last" counter) and
 * prints {@code committed n} after each commit returns, until killed.
 */
public final class RocksDbCommitter {

  static final byte[] LAST = "last".getBytes(StandardCharsets.UTF_8);
  static final byte[] ITEM = "item/".getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) {
    KvEngine engine = KvEngines.open("rocksdb:" + Path.of(args[0]));
    for (long n = 1; ; n++) {
      long i = n;
      engine.run(
          tx -> {
            tx.set(Keys.concat(ITEM, Keys.u64(i)), new byte[100]);
            tx.set(LAST, Keys.u64(i));
            return null;
          });
      System.out.println("committed " + n);
      System.out.flush();
    }
  }
}
