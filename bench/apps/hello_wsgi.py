"""The benchmark's hello-world app for Gunicorn: the same body as example.HelloServlet
("Hello from worker PID", text/plain), so the start-up and reload probes can tell workers apart."""
import os


def app(environ, start_response):
    body = ("Hello from worker %d\n" % os.getpid()).encode("ascii")
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
