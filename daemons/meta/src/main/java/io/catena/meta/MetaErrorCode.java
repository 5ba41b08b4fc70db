package io.catena.meta;

/** Why a meta operation failed; each maps to one wire code (docs/meta.md lists them). */
public enum MetaErrorCode {
  NOT_FOUND,
  ALREADY_EXISTS,
  NOT_EMPTY,
  NOT_DIRECTORY,
  IS_DIRECTORY,
  PERMISSION_DENIED,
  UNAUTHENTICATED,
  QUOTA_EXCEEDED,
  STALE_LAYOUT,
  INVALID_ARGUMENT,
  NO_SESSION,
  /** Too much contention or a dependency (storage) unavailable: retry later. */
  BUSY,
  INTERNAL
}
