#!/bin/bash
# IB Gateway replica installer (test double of IBKR's install4j "ibgateway-*-standalone-linux-x64.sh").
# Same console interface: the install directory is read from stdin, then one more line confirms, so
#     printf '%s\n\n' DIR | ./installer.sh
# installs into DIR: DIR/Jts/ibgateway/ibgateway (launcher), ibgateway.vmoptions, jars/replica.jar (compiled
# here with javac from the Java sources, which are either appended to this script as a base64 tar.gz payload by
# build-installer, or taken from src/ beside this script when it runs from the source tree).
# Options accepted and ignored for compatibility with the real installer: -q, -c, -dir DIR (overrides stdin).
set -euo pipefail

DIR=""
while [ $# -gt 0 ]; do
    case "$1" in
        -dir) DIR="$2"; shift 2 ;;
        -q|-c|-console) shift ;;
        *) shift ;;
    esac
done

if [ -z "$DIR" ]; then
    echo "Where should IB Gateway be installed?"
    echo "[$HOME]"
    IFS= read -r DIR || true
    # the second line (Enter) confirms; tolerate its absence
    IFS= read -r _confirm || true
fi
DIR=${DIR:-$HOME}
DIR=${DIR%/}
command -v javac >/dev/null || { echo "installer: javac (JDK 17+) is required" >&2; exit 1; }

TARGET="$DIR/Jts/ibgateway"
mkdir -p "$TARGET"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

SELF="${BASH_SOURCE[0]}"
LINE=$(grep -a -n '^__REPLICA_PAYLOAD_BELOW__$' "$SELF" | tail -1 | cut -d: -f1 || true)
if [ -n "$LINE" ] && [ "$(tail -n +"$((LINE + 1))" "$SELF" | head -c 1)" != "" ]; then
    tail -n +"$((LINE + 1))" "$SELF" | base64 -d | tar -xzf - -C "$WORK"
    SRC="$WORK/src"
else
    SRC="$(cd "$(dirname "$SELF")" && pwd)/src"
fi
[ -d "$SRC/replica" ] || { echo "installer: no sources found ($SRC)" >&2; exit 1; }

echo "Extracting files..."
mkdir -p "$WORK/classes" "$TARGET/jars"
javac -nowarn -encoding UTF-8 -d "$WORK/classes" "$SRC"/replica/*.java 2> "$WORK/javac.log" || {
    cat "$WORK/javac.log" >&2; echo "installer: compile failed" >&2; exit 1; }
jar --create --file "$WORK/replica.jar" --main-class replica.Gateway -C "$WORK/classes" .
mv "$WORK/replica.jar" "$TARGET/jars/replica.jar"

cat > "$TARGET/ibgateway.vmoptions" <<'VMO'
# JVM options for the replica, one per line (IBGA/IBC append lines here, as with the real gateway)
-Xmx512m
-XX:+UseSerialGC
-XX:TieredStopAtLevel=1
--add-opens=java.desktop/sun.awt.X11=ALL-UNNAMED
VMO

cat > "$TARGET/ibgateway" <<'LAUNCHER'
#!/bin/bash
# Launcher of the IB Gateway replica, shaped like install4j's: arguments "-J<option>" go to the JVM
# (e.g. -J-DjtsConfigDir=/path), lines of ibgateway.vmoptions too; other arguments go to the program.
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
JOPTS=()
if [ -f "$HERE/ibgateway.vmoptions" ]; then
    while IFS= read -r l || [ -n "$l" ]; do
        l="${l%$'\r'}"
        case "$l" in ''|'#'*) continue ;; esac
        JOPTS+=("$l")
    done < "$HERE/ibgateway.vmoptions"
fi
ARGS=()
for a in "$@"; do
    case "$a" in
        -J*) JOPTS+=("${a#-J}") ;;
        *) ARGS+=("$a") ;;
    esac
done
JAVA=java
[ -n "${INSTALL4J_JAVA_HOME:-}" ] && JAVA="$INSTALL4J_JAVA_HOME/bin/java"
exec "$JAVA" "${JOPTS[@]}" -cp "$HERE/jars/replica.jar" replica.Gateway "${ARGS[@]}"
LAUNCHER
chmod +x "$TARGET/ibgateway"

echo "Installation finished: $TARGET/ibgateway"
exit 0
__REPLICA_PAYLOAD_BELOW__
