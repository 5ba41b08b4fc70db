package io.catena.kv.occ;

import io.catena.kv.KeyValue;
import java.util.Iterator;

/** An iterator over store entries that holds native resources until closed. */
public interface Cursor extends Iterator<KeyValue>, AutoCloseable {
  @Override
  void close();
}
