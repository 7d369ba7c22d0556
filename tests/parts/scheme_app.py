"""A WSGI application that answers the scheme gunicorn decided (tests/parts/test_serve.py)."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["wsgi.url_scheme"].encode()]
