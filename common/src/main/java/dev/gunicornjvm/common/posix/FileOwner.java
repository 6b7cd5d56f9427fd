package dev.gunicornjvm.common.posix;

/** Who a file is given to with chown: a uid and a gid. */
public record FileOwner(int uid, int gid) {
}
