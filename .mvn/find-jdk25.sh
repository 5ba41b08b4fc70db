# Sourced by ./mvnw and ./catena: sets JAVA_HOME to a JDK 25 or later, or stops with one line.
# Order: $JAVA_HOME if it is a JDK >= 25, then the usual install locations.
catena_java_feature() {
  # Prints the feature release of the JDK at $1 (e.g. 25), or nothing.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -r "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}

catena_find_jdk25() {
  if [ -n "${JAVA_HOME-}" ]; then
    v=$(catena_java_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then return 0; fi
  fi
  # ./mvnw runs with globbing off (set -f); the search below needs it.
  case $- in *f*) set +f; catena_glob_was_off=1 ;; *) catena_glob_was_off= ;; esac
  for candidate in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/jdk-25* /usr/lib/jvm/* \
    /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] || continue
    v=$(catena_java_feature "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      [ -z "$catena_glob_was_off" ] || set -f
      return 0
    fi
  done
  echo "catena: no JDK 25 found (JAVA_HOME='${JAVA_HOME-}', /usr/lib/jvm searched); install Temurin 25 (e.g. apt-get install temurin-25-jdk) or set JAVA_HOME to a JDK 25." >&2
  exit 1
}

catena_find_jdk25
