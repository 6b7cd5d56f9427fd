package dev.gunicornjvm.master.socket;

/**
 * A listening socket the master owns for its whole life. {@code fd} is the master's copy
 * (close-on-exec, kept high); workers receive it at fd 3 and up.
 *
 * @param family "inet", "inet6" or "unix", as the worker needs it to wrap the fd
 * @param url    what Gunicorn logs in "Listening at: ..." (with the real port after binding port 0)
 */
public record Listener(BindAddress address, int fd, String family, String url) {
    /** How a worker is told about it: {@code FAMILY[+tls],URL}, e.g. {@code inet+tls,https://127.0.0.1:8443}. */
    public String spec() {
        return family + (address.tls() ? "+tls" : "") + "," + url;
    }
}
