package io.catena.client;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what a future failed with into the {@link CatenaException} it carries. */
final class FileIoErrors {
  private FileIoErrors() {}

  static CatenaException unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CatenaException ce) {
      return ce;
    }
    return new CatenaException(ClientErrorCode.INTERNAL, String.valueOf(cause), cause);
  }
}
