package io.catena.kv;

import java.util.List;

/** A page of a range read; {@code more} is true when the range holds entries past this page. */
public record RangeResult(List<KeyValue> entries, boolean more) {

  public RangeResult {
    entries = List.copyOf(entries);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public KeyValue last() {
    return entries.getLast();
  }
}
