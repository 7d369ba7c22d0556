"""French error page for a method a URL does not take (405).

Django's `require_http_methods` answers 405 with an empty body, which a browser replaces by its
own page, in English ("HTTP ERROR 405"): a person who opens /deconnexion from the history, or a
bookmark, would meet it. No handler405 exists, hence this middleware.
"""

from core.views.errors import method_not_allowed


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            page = method_not_allowed(request)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]  # RFC 9110: a 405 lists the methods accepted
            return page
        return response
