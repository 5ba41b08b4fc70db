package io.catena.console;

/** Where failed control-plane calls are shown (on the FX thread). */
public interface ErrorSink {

  void report(String what, Throwable error);

  /** A later success of the same call clears its error. */
  void clear(String what);
}
