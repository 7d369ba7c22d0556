"""What every request of /assistance/ obeys (R-AST-1), before any view.

Outside ASSISTANCE_NETWORKS the console does not exist: 404 for every URL under it, found
or not, so that nothing tells it is there. Inside, the agent's own session is loaded
(assistance.sessions); the space's session is never looked at here.
"""

from django.http import Http404

from assistance import sessions


class AssistanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not sessions.is_console(request.path_info):
            return self.get_response(request)
        if not sessions.allowed_network(request):
            raise Http404
        sessions.load(request)
        response = self.get_response(request)
        sessions.write_cookie(request, response)
        return response
