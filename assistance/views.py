"""The console's pages (R-AST-1): sign-in and enrolment, search, a space, its history, actions.

Short views: parse, call a flow, a selector or an action, answer. Every page that changes
something is a POST with CSRF; an unknown space, request or action is a 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistance import flows, secrets, selectors
from assistance.events import Kind as Event
from assistance.decorators import agent_required, stage_required
from assistance.forms import (
    EnrolPasswordForm,
    HistoryFilterForm,
    LoginForm,
    ReasonForm,
    SearchForm,
    SecondFactorForm,
    TotpForm,
)
from assistance.models import AgentSession
from assistance.services import actions, agents
from core import clock


def _page(request, template, **context):
    """Render a console page; a refused form answers 400, as the space's pages do."""
    session = getattr(request, "agent_session", None)
    agent = session.agent if session is not None and session.stage == AgentSession.Stage.OPEN else None
    form = context.get("form")
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, f"assistance/{template}", {"agent": agent, **context}, status=status)


@require_http_methods(["GET", "POST"])
def login(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stage = flows.log_in(request, email=form.cleaned_data["email"], password=form.cleaned_data["password"])
        except flows.Refused as refused:
            form.add_error(None, refused.text)
        else:
            second = stage == AgentSession.Stage.SECOND_FACTOR
            return redirect("assistance:second_factor" if second else "assistance:enrol_totp")
    return _page(request, "login.html", form=form, idle_minutes=flows.idle_minutes())


@require_http_methods(["GET", "POST"])
@stage_required(AgentSession.Stage.SECOND_FACTOR)
def second_factor(request):
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flows.second_factor(request, code=form.cleaned_data["code"])
        except flows.Refused as refused:
            form.add_error(None, refused.text)
        else:
            return redirect("assistance:home")
    return _page(request, "second_factor.html", form=form)


@require_http_methods(["GET", "POST"])
def enrol(request, token):
    agent = flows.link_agent(request, token)
    if agent is None:
        raise Http404
    form = EnrolPasswordForm(request.POST or None, agent=agent)
    if request.method == "POST" and form.is_valid():
        flows.enrol_password(request, agent=agent, password=form.cleaned_data["password"])
        return redirect("assistance:enrol_totp")
    return _page(request, "enrol_password.html", form=form, enrolling=agent)


@require_http_methods(["GET", "POST"])
@stage_required(AgentSession.Stage.ENROLMENT)
def enrol_totp(request):
    agent = request.agent_session.agent
    secret = agents.totp_secret(agent)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = flows.enrol_totp(request, code=form.cleaned_data["code"])
        except flows.Refused as refused:
            form.add_error(None, refused.text)
        else:
            # Shown once, in this answer: only their digests are kept.
            return _page(request, "enrol_done.html", codes=codes)
    return _page(
        request,
        "enrol_totp.html",
        form=form,
        qr=secrets.qr_svg(secrets.provisioning_uri(secret, agent.email)),
        secret=secrets.grouped(secret),
        issuer=secrets.ISSUER,
        email=agent.email,
    )


@require_POST
def logout(request):
    flows.log_out(request)
    messages.info(request, "Vous êtes déconnecté de la console d'assistance.")
    return redirect("assistance:login")


@require_GET
@agent_required
def home(request):
    form = SearchForm(request.GET or None)
    found = selectors.search(form.cleaned_data["q"]) if request.GET and form.is_valid() else None
    if found is not None:
        flows.looked_at(request, Event.SEARCHED, query=form.cleaned_data["q"][:100], found=len(found))
    return _page(request, "search.html", form=form, found=found, limit=selectors.SEARCH_LIMIT)


def _space(number):
    space = selectors.space(number)
    if space is None:
        raise Http404
    return space


@require_GET
@agent_required
def space(request, number):
    space = _space(number)
    flows.looked_at(request, Event.SPACE_VIEWED, subject=space, number=space.subscriber_number)
    return _page(request, "space.html", state=selectors.space_state(space))


@require_GET
@agent_required
def space_history(request, number):
    space = _space(number)
    flows.looked_at(request, Event.SPACE_HISTORY_VIEWED, subject=space, number=space.subscriber_number)
    form = HistoryFilterForm(request.GET or None, kinds=selectors.kinds_of(space))
    filters = form.cleaned_data if request.GET and form.is_valid() else {}
    history = selectors.space_history(
        space,
        kind=filters.get("kind") or "",
        start=filters.get("start"),
        end=filters.get("end"),
        page=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "space_history.html",
        number=space.subscriber_number,
        form=form,
        history=history,
        query=query.urlencode(),
    )


@require_http_methods(["GET", "POST"])
@agent_required
def act(request, number, action, target=None):
    space = _space(number)
    declared = actions.ACTIONS.get(action)
    if declared is None or (declared.target is None) != (target is None):
        raise Http404
    subject = declared.target(space, target) if declared.target else None
    if declared.target and subject is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.perform(
                action=declared,
                agent=request.agent_session.agent,
                space=space,
                target=subject,
                reason=form.cleaned_data["reason"],
                now=clock.now(),
                request=request,
            )
        except actions.ActionRefused as refused:
            form.add_error(None, refused.text)
        else:
            messages.success(request, declared.done)
            return redirect("assistance:space", number=space.subscriber_number)
    state = selectors.space_state(space)
    return _page(request, "act.html", form=form, action=declared, state=state, subject=subject)


@require_GET
@agent_required
def history(request):
    return _page(request, "history.html", history=selectors.actions(page=request.GET.get("page")))
