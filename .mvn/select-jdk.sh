# Sourced by .ci/run and ./fleet: exports JAVA_HOME for a JDK 21 or newer, keeping a suitable one
# that is already set, else the default java, else the first suitable JDK under /usr/lib/jvm.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java" 2>/dev/null || echo 0)" -lt 21 ]; then
  JAVA_HOME=""
  for candidate in $(command -v java >/dev/null && dirname "$(dirname "$(readlink -f "$(command -v java)")")") \
      /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ]; then
      JAVA_HOME="$candidate"
      break
    fi
  done
  [ -n "$JAVA_HOME" ] || { echo "needs a JDK 21 or newer: set JAVA_HOME (looked on PATH and in /usr/lib/jvm)" >&2; exit 1; }
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
