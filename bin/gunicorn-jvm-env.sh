# Sourced by bin/gunicorn and bin/gunictl: finds the jars and the java to run them with.
# Works both in a source checkout (jars under dist/target) and in an unpacked distribution (jars in lib/).
# gunictl runs this on every command, so it uses shell built-ins where it can: each fork is milliseconds.

# gj_self: this command with symlinks resolved, set by the command that sources this file.
gj_home=${gj_self%/bin/*}
if [ -d "$gj_home/lib" ]; then
    gj_lib="$gj_home/lib"
else
    gj_lib="$gj_home/dist/target/gunicorn-jvm/lib"
fi
if [ ! -d "$gj_lib" ]; then
    echo "${0##*/}: no jars in $gj_lib; build first: mvn -q -DskipTests package (see README.md)" >&2
    exit 1
fi

# GUNICORN_JAVA, else JAVA_HOME, else java on the PATH.
gj_java=${GUNICORN_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
gj_java=${gj_java:-java}
gj_java_path=$(command -v "$gj_java" || true)
if [ -z "$gj_java_path" ]; then
    echo "${0##*/}: cannot find java ($gj_java); install JDK 17 or newer, or set JAVA_HOME" >&2
    exit 1
fi
gj_java_real=$(readlink -f "$gj_java_path")
gj_java_home=${gj_java_real%/bin/*}
gj_java_major=
if [ -r "$gj_java_home/release" ]; then
    while IFS= read -r gj_line; do
        case "$gj_line" in
            JAVA_VERSION=*) gj_java_major=${gj_line#JAVA_VERSION=\"}; gj_java_major=${gj_java_major%%[!0-9]*}; break ;;
        esac
    done < "$gj_java_home/release"
fi
# gj_require_platform: the one check of the machine itself. bin/gunicorn always calls it; bin/gunictl
# only when it finds no class-data archive of its own (one made on this machine means it passed).
gj_require_platform() {
    case "$(uname -sm)" in
        "Linux x86_64") ;;
        *) echo "${0##*/}: gunicorn-jvm runs on Linux x86_64 (glibc) only, not $(uname -sm)" >&2; exit 1 ;;
    esac
}

# The master and gunictl reach libc through jnr-ffi; JDK 22+ warns about that unless told it is intended.
# Only the master and workers touch JDK internals (InheritedFd: --add-opens); gunictl does without, as
# --add-opens also turns off the archived module graph of the JDK's class-data archive (JDK 17).
gj_native_access_opts=
if [ "${gj_java_major:-17}" -ge 22 ]; then
    gj_native_access_opts="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
gj_native_opts="--add-opens=java.base/sun.nio.ch=ALL-UNNAMED${gj_native_access_opts:+ $gj_native_access_opts}"

# The JVM takes its temporary directory from java.io.tmpdir, never from TMPDIR: hand TMPDIR over, as
# Unix programs honour it. Used as ${TMPDIR:+"$gj_tmpdir_opt"}, one word even with spaces in the path.
gj_tmpdir_opt="-Djava.io.tmpdir=${TMPDIR:-}"

# Spawning workers needs posix_spawn_file_actions_addclosefrom_np, new in glibc 2.34. Only the master
# spawns, so only bin/gunicorn calls this.
gj_require_glibc() {
    gj_glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null)
    gj_glibc_minor=${gj_glibc#glibc 2.}
    gj_glibc_minor=${gj_glibc_minor%%.*}
    case "$gj_glibc_minor" in
        ''|*[!0-9]*) echo "${0##*/}: gunicorn-jvm needs glibc 2.34 or newer (found: ${gj_glibc:-none})" >&2; exit 1 ;;
    esac
    if [ "$gj_glibc_minor" -lt 34 ]; then
        echo "${0##*/}: gunicorn-jvm needs glibc 2.34 or newer (found: $gj_glibc)" >&2
        exit 1
    fi
}
