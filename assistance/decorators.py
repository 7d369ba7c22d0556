"""Who may reach a view of the console: an agent whose sign-in reached the stage it needs.

Only the agent's own session counts (request.agent_session, assistance.sessions): a space
logged in on the same browser is nobody here. Anything less than the stage: the login page.
"""

from functools import wraps

from django.shortcuts import redirect

from assistance.models import AgentSession


def stage_required(stage: str):
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            session = getattr(request, "agent_session", None)
            if session is None or session.stage != stage:
                return redirect("assistance:login")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


# The console itself: password and TOTP (or a recovery code) both proven.
agent_required = stage_required(AgentSession.Stage.OPEN)
