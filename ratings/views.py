"""The live workshop: phones join and vote, the facilitator drives the console and projector.

Participants have no account: a signed cookie per workshop names them. Facilitators (and
admins) drive a workshop; CCG leads see its results read-only; everyone else gets 404.
"""

from __future__ import annotations

import functools

import segno
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workshops.access import get_workshop_for_user
from workshops.models import Workshop, normalise_join_code

from . import hall, lobby, services
from .benchmark_data import sees_current_figures, workshop_benchmark
from .forms import ConsensusForm, HandCountForm, JoinForm
from .hooks import live_panels
from .identity import (
    join_throttled,
    participant_pk_from_cookie,
    poll_token,
    read_participant_cookie,
    read_poll_token,
    record_join_failure,
    record_join_success,
    set_participant_cookie,
)
from .live import participant_ballot, staff_stage, staff_stamp
from .models import ConsensusChange, Participant
from .phone_state import PHONE_POLL_SECONDS, PhoneIdentity, ballot_fragment, state_version
from .prerating import WindowState, workshop_window
from .prerating_read import evidence_cards
from .presence import mark_seen
from .results import participants_by_sector, workshop_results
from .services import LiveError
from .taps import now_ms, read_tap, small_int

POLL_SECONDS = 2  # the console and projector (phones: phone_state.PHONE_POLL_SECONDS)


def _get_workshop_for_user(request, pk: int, *, facilitate: bool = False) -> Workshop:
    return get_workshop_for_user(request, pk, facilitate=facilitate)


def _get_participant_for_request(request, code: str) -> Participant | None:
    """The participant this device joined as, for the workshop with this code only."""
    ident = read_participant_cookie(request, code)
    if ident is None:
        return None
    workshop_pk, token = ident
    return (
        Participant.objects.select_related("workshop", "workshop__current_domain")
        .filter(token=token, workshop_id=workshop_pk, workshop__join_code=code)
        .first()
    )


def _safe_reverse(name: str, *args) -> str | None:
    """A link to a page another app may not provide yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def join_url(request, workshop: Workshop) -> str:
    return hall.join_url(request, workshop.join_code)


def _with_join_panel(context: dict) -> dict:
    """The projector's QR code and the address people type."""
    context["qr_svg"] = _qr_svg(context["join_url"])
    context["join_display"] = hall.display(context["join_url"])
    context["join_display_html"] = hall.display_html(context["join_url"])
    return context


# ---------------------------------------------------------------- participants


@never_cache
@require_http_methods(["GET", "POST"])
def join(request):
    """Join by code. Wrong codes are counted per address and throttled (ratings.identity)."""
    if request.method == "GET":
        code = normalise_join_code(request.GET.get("code", ""))
        if code and read_participant_cookie(request, code):
            return redirect("ratings_ballot", code=code)  # this phone already joined: resume
        form = JoinForm(initial={"code": code} if code else None)
        return render(request, "ratings/join.html", {"form": form})

    if join_throttled(request, normalise_join_code(request.POST.get("code", ""))):
        return render(
            request,
            "ratings/join.html",
            {
                "form": JoinForm(),
                "error": "Too many wrong codes from this network. Wait five minutes and try again.",
            },
            status=429,
        )
    form = JoinForm(request.POST)
    if not form.is_valid():
        return render(request, "ratings/join.html", {"form": form}, status=400)
    code = form.cleaned_data["code"]
    workshop = Workshop.objects.filter(join_code=code).first()
    if workshop is None:
        record_join_failure(request)
        form.add_error("code", f"No workshop has the code {code}. Check the code on the screen.")
        return render(request, "ratings/join.html", {"form": form}, status=400)
    window = workshop_window(workshop) if workshop.status == Workshop.Status.DRAFT else None
    if workshop.status == Workshop.Status.DRAFT and not workshop.doors_open and window != WindowState.OPEN:
        if window == WindowState.CLOSED:
            form.add_error("code", "Rating before the day has closed: join on the day.")
        else:
            form.add_error(
                "code", "This workshop is not open yet. Try again when the facilitator opens the doors."
            )
        return render(request, "ratings/join.html", {"form": form}, status=409)
    if workshop.status == Workshop.Status.CLOSED:
        form.add_error("code", "This workshop has closed: it no longer takes votes.")
        return render(request, "ratings/join.html", {"form": form}, status=409)
    record_join_success(request, code)
    existing = _get_participant_for_request(request, code)
    if existing is not None:
        return redirect("ratings_ballot", code=code)
    participant = form.save(commit=False)
    participant.workshop = workshop
    participant.save()
    response = redirect("ratings_ballot", code=code)
    response.status_code = 303
    set_participant_cookie(response, code, workshop.pk, participant.token, participant.pk)
    mark_seen(workshop.pk, participant.pk)
    return response


def _ballot_context(request, participant: Participant, **extra) -> dict:
    ballot = participant_ballot(participant)
    return {
        "ballot": ballot,
        "participant": participant,
        "workshop": participant.workshop,
        "stamp": participant.workshop.state_version,
        "poll_seconds": PHONE_POLL_SECONDS,
        "live_panels": live_panels(participant.workshop, "phone", participant=participant),
        "clock_ms": now_ms(),  # offline.js numbers taps on the server's clock (ratings.taps)
        **extra,
    }


def _not_joined(request, code: str):
    """No identity for this workshop on this device: join first (nothing else leaks)."""
    return redirect(f"{reverse('ratings_join')}?code={code}")


@never_cache
@require_GET
def ballot(request, code: str):
    code = normalise_join_code(code)
    participant = _get_participant_for_request(request, code)
    if participant is None:
        return _not_joined(request, code)
    workshop = participant.workshop
    if workshop.status == Workshop.Status.DRAFT and not workshop.doors_open:
        return redirect("prerating_overview", code=code)  # rating before the day
    mark_seen(participant.workshop_id, participant.pk)
    identity = PhoneIdentity(participant.workshop_id, participant.token, code)
    context = {
        "participant": participant,
        "workshop": workshop,
        "ballot_html": mark_safe(ballot_fragment(request, identity, PHONE_POLL_SECONDS)),  # our template's
        "clock_ms": now_ms(),
    }
    response = render(request, "ratings/ballot.html", context)
    if participant_pk_from_cookie(request, code) is None:  # joined before the pk was in it
        set_participant_cookie(response, code, participant.workshop_id, participant.token, participant.pk)
    return response


@never_cache
@require_POST
def vote(request, code: str):
    """One tap records or changes this phone's vote; refusals say why and record nothing.

    An accepted htmx vote is usually answered by ratings.fastvote before this view runs; this
    is the full path: form posts without JavaScript, refusals, and cookies set before the
    participant's pk was in them.
    """
    code = normalise_join_code(code)
    participant = _get_participant_for_request(request, code)
    if participant is None:
        return _join_first_to_vote()
    mark_seen(participant.workshop_id, participant.pk)
    tap = read_tap(request.POST)
    error, status = tap.error, 400
    if error is None:
        try:
            stored = services.vote_record(participant, tap.round_pk, tap.level, tap.seq)
        except LiveError as exc:
            error, status = exc.message, exc.status
        else:
            if participant.workshop.auto_reveal:
                services.auto_reveal_if_all_voted(participant.workshop_id, tap.round_pk)
    if error is None and not request.htmx:
        return redirect("ratings_ballot", code=code)
    if error is None:
        identity = PhoneIdentity(participant.workshop_id, participant.token, code)
        voted = (stored.round_id, stored.level)  # a late, older tap leaves the newer one
        return HttpResponse(ballot_fragment(request, identity, PHONE_POLL_SECONDS, voted=voted))
    template = "ratings/_ballot.html" if request.htmx else "ratings/ballot.html"
    return render(request, template, _ballot_context(request, participant, error=error), status=status)


def _join_first_to_vote() -> HttpResponse:
    return HttpResponse(
        "Join the workshop on this phone before voting.", status=403, content_type="text/plain"
    )


@never_cache
@require_GET
def participant_poll(request, code: str):
    """204 when the facilitator has not acted since `s`; otherwise the new ballot.

    The unchanged answer usually comes from ratings.fastpoll before this view runs.
    """
    code = normalise_join_code(code)
    ident = read_participant_cookie(request, code)
    if ident is None:
        return HttpResponse("Join the workshop first.", status=403, content_type="text/plain")
    participant_pk = participant_pk_from_cookie(request, code)
    if participant_pk is not None:
        mark_seen(ident[0], participant_pk)
    version = state_version(ident[0])
    if version is None:
        raise Http404("No such workshop.")
    if str(version) == request.GET.get("s"):
        return HttpResponse(status=204)
    try:
        html = ballot_fragment(request, PhoneIdentity(ident[0], ident[1], code), PHONE_POLL_SECONDS)
    except Participant.DoesNotExist:
        return HttpResponse("Join the workshop first.", status=403, content_type="text/plain")
    return HttpResponse(html)


# ---------------------------------------------------------------- facilitators


def _previous_actions_to_review(workshop: Workshop) -> dict | None:
    """At a follow-up, the earlier workshop's actions are reviewed before re-rating.

    The action plans live in a higher app: it answers through its app config's
    `actions_to_review` hook, so this app never imports it.
    """
    for app in apps.get_app_configs():
        hook = getattr(app, "actions_to_review", None)
        review = hook(workshop) if hook else None
        if review:
            return review
    return None


def _staff_stamp(workshop_pk: int) -> str | None:
    """The poll stamp with what higher apps' `live_stamp` hooks add (e.g. new notes), in the
    same one query."""
    extra: dict = {}
    for app in apps.get_app_configs():
        if hasattr(app, "live_stamp"):
            extra.update(app.live_stamp())
    return staff_stamp(workshop_pk, extra)


@functools.lru_cache(maxsize=64)
def _qr_svg(url: str) -> str:
    """The join address as an SVG QR code: the same for a workshop all day, so made once per
    process (4 ms, a quarter of the projector's time, on every request before)."""
    return segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr-code", title="QR code of the join address"
    )


def _live_context(request, workshop: Workshop, role: str = "console", **extra) -> dict:
    stage = staff_stage(workshop)
    suggestion = stage.summary.suggestion if stage.summary else None
    context = {
        "workshop": workshop,
        "stage": stage,
        "can_facilitate": True,
        "join_url": join_url(request, workshop),
        "join_loopback": hall.is_loopback(join_url(request, workshop)),
        "join_display": hall.display(join_url(request, workshop)),
        "stamp": _staff_stamp(workshop.pk),
        "live_panels": live_panels(workshop, role),
        "poll_token": poll_token(workshop.pk, request.user.pk),
        "poll_seconds": POLL_SECONDS,
        "sectors": participants_by_sector(workshop),
        "action_plan_url": _safe_reverse("actionplan_edit", workshop.pk),
        "confirm_form": None,
        "hands_form": None,
        "error": None,
        "results": None,
    }
    if stage.phase in {"summary", "ended"}:
        context["results"] = workshop_results(workshop)
    if stage.phase in {"draft", "lobby"} and workshop.is_follow_up:
        context["review"] = _previous_actions_to_review(workshop)
    if stage.domain is not None and stage.phase != "voting":
        context["confirm_form"] = ConsensusForm(
            levels=stage.levels,
            suggestion=suggestion,
            initial={
                "domain": stage.domain.pk if stage.domain else None,
                "level": suggestion if suggestion is not None else getattr(stage.consensus, "level", None),
            },
        )
    if stage.round is not None and stage.round.number > 0:  # no show of hands before the day
        context["hands_form"] = HandCountForm(levels=stage.levels, initial_counts=stage.hands)
    if role == "console" and stage.phase not in {"draft", "lobby", "ended"}:
        context["history"] = ConsensusChange.objects.filter(workshop=workshop).select_related(
            "domain", "changed_by"
        )
    if stage.round is not None and stage.round.number == 0 and stage.round.is_revealed:
        context["evidence_cards"] = evidence_cards(stage.round.pk)
    context.update({k: v for k, v in extra.items() if v is not None or k == "error"})
    return context


@login_required
@never_cache
def console(request, pk: int):
    workshop = _get_workshop_for_user(request, pk, facilitate=True)
    return render(request, "ratings/console.html", _live_context(request, workshop))


@login_required
@never_cache
def projector(request, pk: int):
    workshop = _get_workshop_for_user(request, pk, facilitate=True)
    if lobby.opens_on_the_day(workshop):
        lobby.doors_open(workshop, request.user)
    return render(
        request,
        "ratings/projector.html",
        _with_join_panel(_live_context(request, workshop, role="projector")),
    )


@never_cache
@require_GET
def live_poll(request, pk: int):
    """Console and projector polls: 204 in one query when nothing changed.

    The signed token in the URL proves a facilitator's page asked, so the unchanged answer
    needs no session lookup; a changed answer checks the user in full.
    """
    if not read_poll_token(request.GET.get("t", ""), pk):
        return HttpResponse("This page has expired: reload it.", status=403, content_type="text/plain")
    stamp = _staff_stamp(pk)
    if stamp is None:
        raise Http404("No such workshop.")
    previous = request.GET.get("s", "")
    if stamp == previous:
        return HttpResponse(status=204)
    if not request.user.is_authenticated:
        return HttpResponse("Log in again.", status=403, content_type="text/plain")
    workshop = _get_workshop_for_user(request, pk, facilitate=True)
    view = request.GET.get("view")
    if view == "console":
        if stamp.split(".")[0] != previous.split(".")[0]:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"  # the facilitator's controls changed: reload
            return response
        return render(
            request, "ratings/_console_counts.html", _live_context(request, workshop, role="counts")
        )
    return render(
        request,
        "ratings/_projector_stage.html",
        _with_join_panel(_live_context(request, workshop, role="projector")),
    )


def _domain_pk(request) -> int | None:
    return small_int(request.POST.get("domain", ""))


def _action_start(request, workshop):
    services.workshop_start(workshop, request.user)
    return "The workshop is live. Participants can join with the code on the screen."


def _action_doors(request, workshop):
    lobby.doors_open(workshop, request.user)
    return "The doors are open: phones can join with the code on the screen. Voting opens when you start."


def _action_open(request, workshop):
    rnd = services.voting_open(workshop, request.user, _domain_pk(request))
    return f"Voting is open (round {rnd.number})."


def _action_reveal(request, workshop):
    services.round_reveal(workshop, request.user, _domain_pk(request))
    return "Votes revealed."


def _action_hands(request, workshop):
    stage = staff_stage(workshop)
    round_pk = small_int(request.POST.get("round", ""))
    form = HandCountForm(request.POST, levels=stage.levels)
    if not form.is_valid() or round_pk is None:
        raise _FormInvalid(hands_form=form)
    services.hands_record(workshop, request.user, round_pk, form.counts())
    return "Show-of-hands counts saved."


def _action_confirm(request, workshop):
    stage = staff_stage(workshop)
    suggestion = stage.summary.suggestion if stage.summary else None
    domain_pk = _domain_pk(request)
    if stage.domain is None or domain_pk != stage.domain.pk:
        raise LiveError("The screen has moved to another domain; reload the console.")
    form = ConsensusForm(request.POST, levels=stage.levels, suggestion=suggestion)
    if not form.is_valid():
        raise _FormInvalid(confirm_form=form)
    data = form.cleaned_data
    result = services.consensus_confirm(workshop, request.user, data["domain"], data["level"], data["reason"])
    c = result.consensus
    return f"{c.domain.code} agreed at level {c.level}. Next domain: N."


def _action_go(request, workshop):
    raw = request.POST.get("domain", "")
    if raw == "summary":
        services.domain_go(workshop, request.user, None)
        return "Showing the summary."
    domain_pk = small_int(raw)
    if domain_pk is None:
        raise LiveError("Choose a domain.", 400)
    domain = services.domain_go(workshop, request.user, domain_pk)
    return f"Now on {domain.code} {domain.short_title}."


def _action_next(request, workshop):
    domain = services.domain_next(workshop, request.user)
    return f"Now on {domain.code} {domain.short_title}." if domain else "Showing the summary."


def _action_close(request, workshop):
    services.workshop_close(workshop, request.user)
    return "The workshop is closed: voting is frozen."


class _FormInvalid(Exception):
    def __init__(self, **forms) -> None:
        super().__init__("form invalid")
        self.forms = forms


ACTIONS = {
    "start": _action_start,
    "doors": _action_doors,
    "open": _action_open,
    "reveal": _action_reveal,
    "hands": _action_hands,
    "confirm": _action_confirm,
    "go": _action_go,
    "next": _action_next,
    "close": _action_close,
}


@login_required
@require_POST
def live_action(request, pk: int, action: str):
    """Every facilitator button posts here; refusals re-render the page with the reason."""
    workshop = _get_workshop_for_user(request, pk, facilitate=True)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("No such action.")
    back = "ratings_projector" if request.POST.get("next") == "projector" else "ratings_console"
    template = "ratings/projector.html" if back == "ratings_projector" else "ratings/console.html"
    try:
        text = handler(request, workshop)
    except LiveError as exc:
        workshop.refresh_from_db()
        role = "projector" if back == "ratings_projector" else "console"
        context = _live_context(request, workshop, role=role, error=exc.message)
        if back == "ratings_projector":
            _with_join_panel(context)
        return render(request, template, context, status=exc.status)
    except _FormInvalid as exc:
        workshop.refresh_from_db()
        where = (
            "the hand counts"
            if "hands_form" in exc.forms
            else "the level and the reason beside Confirm level"
        )
        context = _live_context(request, workshop, error=f"Check {where}.", **exc.forms)
        return render(request, "ratings/console.html", context, status=400)
    if back == "ratings_console":
        messages.success(request, text)  # the projector shows the room no staff notices
    return redirect(back, pk=workshop.pk)


@login_required
def summary(request, pk: int):
    """The agreed levels, total and change: facilitators and the area's CCG leads."""
    workshop = _get_workshop_for_user(request, pk)
    can_facilitate = workshop.is_facilitated_by(request.user)
    results = workshop_results(workshop)
    return render(
        request,
        "ratings/summary.html",
        {
            "workshop": workshop,
            "results": results,
            "benchmark": workshop_benchmark(
                workshop,
                results.previous_workshop,
                current=sees_current_figures(request.user, workshop.programme_id),
            ),
            "history": ConsensusChange.objects.filter(workshop=workshop).select_related(
                "domain", "changed_by"
            ),
            "can_facilitate": can_facilitate,
            "console_url": reverse("ratings_console", args=[workshop.pk]) if can_facilitate else None,
        },
    )
