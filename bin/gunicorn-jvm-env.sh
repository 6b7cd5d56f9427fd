# Sourced by bin/gunicorn and bin/gunictl: finds the jars and the java to run them with.
# Works both in a source checkout (jars under dist/target) and in an unpacked distribution (jars in lib/).

gj_home=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
if [ -d "$gj_home/lib" ]; then
    gj_lib="$gj_home/lib"
else
    gj_lib="$gj_home/dist/target/gunicorn-jvm/lib"
fi
if [ ! -d "$gj_lib" ]; then
    echo "$(basename "$0"): no jars in $gj_lib; build first: mvn -q -DskipTests package (see README.md)" >&2
    exit 1
fi

# GUNICORN_JAVA, else JAVA_HOME, else java on the PATH.
gj_java=${GUNICORN_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
gj_java=${gj_java:-java}
gj_java_path=$(command -v "$gj_java" || true)
if [ -z "$gj_java_path" ]; then
    echo "$(basename "$0"): cannot find java ($gj_java); install JDK 17 or newer, or set JAVA_HOME" >&2
    exit 1
fi
gj_java_home=$(dirname "$(dirname "$(readlink -f "$gj_java_path")")")
gj_java_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$gj_java_home/release" 2>/dev/null)
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "$(basename "$0"): gunicorn-jvm runs on Linux x86_64 (glibc) only, not $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
# Spawning workers needs posix_spawn_file_actions_addclosefrom_np, new in glibc 2.34.
gj_glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null)
gj_glibc_minor=${gj_glibc#glibc 2.}
gj_glibc_minor=${gj_glibc_minor%%.*}
case "$gj_glibc_minor" in
    ''|*[!0-9]*) echo "$(basename "$0"): gunicorn-jvm needs glibc 2.34 or newer (found: ${gj_glibc:-none})" >&2; exit 1 ;;
esac
if [ "$gj_glibc_minor" -lt 34 ]; then
    echo "$(basename "$0"): gunicorn-jvm needs glibc 2.34 or newer (found: $gj_glibc)" >&2
    exit 1
fi

# The master and gunictl reach libc through jnr-ffi; JDK 22+ warns about that unless told it is intended.
gj_native_opts="--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
if [ "${gj_java_major:-17}" -ge 22 ]; then
    gj_native_opts="$gj_native_opts --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
