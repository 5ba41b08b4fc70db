package io.catena.kv;

/** A commit refused because something the transaction read changed after its read version. */
public final class KvConflictException extends KvException {

  public KvConflictException(String message) {
    super(message, true);
  }
}
