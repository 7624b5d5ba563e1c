"""Every URL of the project, for every role, with real, foreign, mixed and missing objects.

The URL list is read from the resolver, so a new route fails `test_every_route_is_classified`
until it is given an access rule below. For each route, role and target the sweep sends GET
(plain, with garbage query strings, as htmx) and POST (empty, garbage, huge numbers, as htmx)
and checks:

- never a 500;
- someone who may not see the object gets exactly what they get for an object that does not
  exist (404, or 405 for a method the route never takes; anonymous visitors of staff pages are
  sent to the login page), and the answer does not name the object;
- redirects stay on this site;
- nobody who may not write to the object writes anything, and no GET writes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from actionplans.models import ActionItem, DomainPlan, Dot, ItemReview, LiveNotes, Note, PlanEdit
from actionplans.notes_services import notes_open
from actionplans.notes_views import LIVE_ACTIONS
from actionplans.owners import owner_link_create
from ratings import services
from ratings.identity import poll_token
from ratings.invitation_models import Invitation
from ratings.models import Consensus, ConsensusChange, HandCount, Participant, Round, Vote
from ratings.views import ACTIONS
from workshops.mail import new_token, unsubscribe_url
from workshops.models import Area, Programme, Workshop

ROLES = ["facilitator", "other_facilitator", "lead", "other_lead", "admin", "anonymous", "phone"]
MISSING_PK = 987654
MISSING_CODE = "ZZZZZZ"
CODES = ["C1", "A1", "S", "C2", "A2", "D", "E"]

# Access rule per URL name: who may see the object the URL names.
#   public     participant pages and the login page: anyone
#   login      any signed-in user
#   facilitators  signed-in facilitators and admins (others 404)
#   leads      CCG leads and admins (others 404)
#   admin      admins only (others 404)
#   reports    admins and staff programme leads of any programme (others 404)
#   view       the workshop: its facilitators, its area's CCG leads, admins
#   drive      the workshop: its facilitators and admins
#   area       the area: its CCG leads, its assigned facilitators, facilitators of its
#              workshops, admins
#   programme  the programme: admins and its staff leads
#   programme_admin  the programme: admins only
#   framework  any signed-in user (reference text)
#   poll       the console/projector poll: a signed token, then the drive rule
#   ballot     a participant page: the phone that joined that workshop
#   link       a personal link (owner's page, unsubscribe): anyone holding its token
RULES: dict[str, str] = {
    "login": "public",
    "logout": "public",
    "accessibility_statement": "public",
    "password_change": "login",
    "password_change_done": "login",
    "home": "login",
    "workshop_create": "facilitators",
    "workshop_detail": "view",
    "workshop_edit": "drive",
    "framework_list": "login",
    "framework_detail": "framework",
    "ratings_join": "public",
    "ratings_ballot": "ballot",
    "ratings_vote": "ballot",
    "ratings_participant_poll": "ballot",
    "ratings_remove_name": "ballot",
    "ratings_console": "drive",
    "ratings_projector": "drive",
    "ratings_live_poll": "poll",
    "ratings_live_action": "drive",
    "ratings_summary": "view",
    "prerating_overview": "ballot",
    "prerating_domain": "ballot",
    "prerating_window": "drive",
    "prerating_evidence_card": "drive",
    "ratings_paper": "drive",
    "ratings_paper_pdf": "drive",
    "actionplan_edit": "view",
    "actionplan_domain": "view",
    "actionplan_item_create": "view",
    "actionplan_item_edit": "view",
    "actionplan_item_delete": "view",
    "actionplan_review": "view",
    "actionplan_review_item": "view",
    "actionplan_preview": "view",
    "actionplan_pdf": "view",
    "action_items": "leads",
    "action_items_csv": "leads",
    "area_list": "login",
    "area_detail": "area",
    "report_list": "reports",
    "ratings_import": "admin",
    "programme_report": "programme",
    "programme_report_csv": "programme",
    "programme_report_pdf": "programme",
    "programme_report_json": "programme",
    "ratings_export": "programme_admin",
    "actionplan_note_use": "view",
    "notes_phone": "ballot",
    "notes_phone_edit": "ballot",
    "notes_phone_dots": "ballot",
    "notes_live_action": "drive",
    "mail_unsubscribe": "link",
    "owner_page": "link",
    "invitation_open": "link",
    "invitations_add": "drive",
    "owners_notify": "view",
    "owners_revoke": "view",
    "notes_live_priorities": "drive",
}

# The edit endpoints of an action plan: CCG leads of a live workshop see the plan but may not edit.
PLAN_WRITES = {
    "actionplan_domain",
    "actionplan_item_create",
    "actionplan_item_edit",
    "actionplan_item_delete",
    "actionplan_review_item",
    "actionplan_note_use",
}
SLOW = {"actionplan_pdf", "programme_report_pdf", "ratings_paper_pdf"}  # one plain GET per viewer is enough
OK_STATUSES = {200, 204, 302, 303, 400, 403, 404, 405, 409, 413, 429}
# No NUL here: one is refused (400) before any access rule (tests/test_fuzz_inputs.py).
GARBAGE_QUERY = (
    "?phase=abc&sort=nope&page=999&level=9&status=bogus&from_phase=x&to_phase=0&area=abc"
    "&programme=%2F%2F&state=zzz&overdue=maybe&owner=%01&domain=%F0%9F%92%A5&title=x&s=..&view=zzz"
    "&code=%C2%B2%C2%B2&t=not-a-token&next=https://evil.example/&a-sort=nope&d-sort=-nope&per_page=-1"
)


HUGE = "9" * 40
HUGE_QUERY = (
    f"?phase={HUGE}&page={HUGE}&per_page={HUGE}&area={HUGE}&programme={HUGE}&from_phase={HUGE}"
    f"&to_phase=1e999&level=NaN&status=-inf&s={HUGE}&domain={HUGE}&a-page={HUGE}&title={'x' * 2000}"
)


def iter_routes(patterns=None, prefix: str = ""):
    """(route, name) of every URL pattern, admin and static files left out."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        route = prefix + str(p.pattern)
        if route.startswith(("admin/", "static/", "^static")):
            continue
        if isinstance(p, URLResolver):
            yield from iter_routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p.name


@dataclass
class Side:
    """One facilitator's world: a closed baseline and a live follow-up, with everything filled."""

    workshop: Workshop  # the live follow-up the URLs name
    previous: Workshop
    item: ActionItem
    review_item: ActionItem  # an item of the previous workshop, under review
    area: Area
    programme: Programme
    secret: str  # a string only people who may see this side may read
    note: Note | None = None  # a note a phone posted at the follow-up


@dataclass
class World:
    own: Side
    foreign: Side
    users: dict
    phone_cookies: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)
    framework_pk: int = 0
    domain_pk: int = 0
    tokens: dict = field(default_factory=dict)  # (url name, target): a personal link's token


def _side(area, programme, framework, facilitator, base: Workshop, secret: str) -> Side:
    domains = list(framework.domains.all())
    for d, level in zip(domains, [1, 2, 1, 0, 1, 2, 1], strict=True):
        Consensus.objects.create(workshop=base, domain=d, level=level, suggested_level=level)
    review_item = ActionItem.objects.create(
        workshop=base, domain=domains[0], description=f"{secret} earlier action", version=1
    )
    base.status = Workshop.Status.CLOSED
    base.title = f"{secret} baseline"
    base.save()
    follow_up = Workshop.objects.create(
        area=area,
        programme=programme,
        framework=framework,
        phase=2,
        title=f"{secret} follow-up",
        date=base.date + dt.timedelta(days=180),
    )
    follow_up.facilitators.add(facilitator)
    services.workshop_start(follow_up, facilitator)
    rnd = services.voting_open(follow_up, facilitator)
    participant = Participant.objects.create(
        workshop=follow_up, display_name=f"{secret} voter", sector="school"
    )
    services.vote_record(participant, rnd.pk, 2)
    services.round_reveal(follow_up, facilitator)
    services.consensus_confirm(follow_up, facilitator, domains[0].pk, 2)
    services.voting_open(follow_up, facilitator)
    DomainPlan.objects.create(
        workshop=follow_up, domain=domains[0], working_well=f"{secret} notes", version=1
    )
    item = ActionItem.objects.create(
        workshop=follow_up, domain=domains[0], description=f"{secret} action", version=1
    )
    ItemReview.objects.create(workshop=follow_up, item=review_item, status="in_progress", version=1)
    notes_open(follow_up, facilitator, None)
    note = Note.objects.create(
        workshop=follow_up,
        domain=domains[0],
        participant=participant,
        kind="next_steps",
        text=f"{secret} note",
    )
    follow_up.refresh_from_db()
    return Side(follow_up, base, item, review_item, area, programme, secret, note)


@pytest.fixture
def world(users, workshop, other_workshop, area, other_area, programme, framework) -> World:
    cache.clear()
    for name in ("lead", "other_lead"):  # programme leads are staff users
        users[name].is_staff = True
        users[name].save(update_fields=["is_staff"])
    other_programme = Programme.objects.create(name="Other programme")
    other_workshop.programme = other_programme
    other_workshop.save(update_fields=["programme"])
    programme.leads.add(users["lead"])
    other_programme.leads.add(users["other_lead"])
    own = _side(area, programme, framework, users["facilitator"], workshop, "Owlsecret")
    foreign = _side(
        other_area, other_programme, framework, users["other_facilitator"], other_workshop, "Foxsecret"
    )
    world = World(own=own, foreign=foreign, users=users, framework_pk=framework.pk)
    world.domain_pk = framework.domains.get(code="C1").pk
    for target, side in (("own", own), ("foreign", foreign)):
        email = f"owner-{target}@example.org"
        ActionItem.objects.filter(pk=side.item.pk).update(owner_email=email)
        world.tokens["owner_page", target] = (
            owner_link_create(side.workshop, email).rstrip("/").split("/")[-1]
        )
        raw, hashed = new_token()
        Invitation.objects.create(workshop=side.workshop, email=email, sector="school", token_hash=hashed)
        world.tokens["invitation_open", target] = raw
        world.tokens["mail_unsubscribe", target] = (
            unsubscribe_url(email, "owner_reminder").rstrip("/").split("/")[-1]
        )
    phone = Client()
    response = phone.post("/join/", {"code": own.workshop.join_code, "sector": "school"})
    assert response.status_code == 303
    world.phone_cookies = {k: v.value for k, v in phone.cookies.items()}
    for role, user in users.items():
        if user is not None:
            c = Client()
            c.force_login(user)
            world.sessions[role] = {k: v.value for k, v in c.cookies.items()}
    cache.clear()
    return world


def client_of(world: World, role: str, *, fresh: bool = False) -> Client:
    """A client signed in as `role` (sharing one session), or the phone that joined `own`."""
    c = Client(raise_request_exception=False)
    if role == "phone":
        for k, v in world.phone_cookies.items():
            c.cookies[k] = v
    elif role != "anonymous":
        if fresh:
            c.force_login(world.users[role])
        else:
            for k, v in world.sessions[role].items():
                c.cookies[k] = v
    return c


# --- who may see what ------------------------------------------------------------------------------


def sees(rule: str, role: str, target: str) -> bool:
    """May `role` see the object of `target` ('own', 'foreign', 'mixed', 'missing', 'none')?"""
    signed_in = role not in ("anonymous", "phone")
    if rule in ("public", "link"):
        return True
    if rule in ("login", "framework"):
        return signed_in and target != "missing"
    if rule == "facilitators":
        return role in ("facilitator", "other_facilitator", "admin")
    if rule == "leads":
        return role in ("lead", "other_lead", "admin")
    if rule == "admin":
        return role == "admin"
    if rule == "reports":
        return role in ("lead", "other_lead", "admin")
    if rule == "ballot":
        return role == "phone" and target == "own"
    if target in ("missing", "mixed"):
        return False
    owners = {
        "view": {"own": {"facilitator", "lead"}, "foreign": {"other_facilitator", "other_lead"}},
        "drive": {"own": {"facilitator"}, "foreign": {"other_facilitator"}},
        "poll": {"own": {"facilitator"}, "foreign": {"other_facilitator"}},
        "area": {"own": {"facilitator", "lead"}, "foreign": {"other_facilitator", "other_lead"}},
        "programme": {"own": {"lead"}, "foreign": {"other_lead"}},
        "programme_admin": {"own": set(), "foreign": set()},
    }[rule]
    return role == "admin" or role in owners[target]


def may_read(role: str, side: str) -> bool:
    """May `role` read anything of that side's workshops (titles, notes, names)?"""
    if role == "phone":
        return side == "own"  # the phone joined the own follow-up
    return sees("view", role, side)


def writes(name: str, rule: str, role: str, target: str) -> bool:
    """May `role` change anything through this URL for this target?"""
    if rule in ("public", "ballot", "link"):
        return True  # joining and voting are open to anyone with the code (garbage never writes)
    if not sees(rule, role, target):
        return False
    if name in PLAN_WRITES or rule in ("view",):
        # Live workshops: CCG leads read only; facilitators and admins write.
        return role in ("facilitator", "other_facilitator", "admin")
    return rule not in ("area", "programme", "programme_admin", "reports", "leads", "framework")


# --- filling routes --------------------------------------------------------------------------------

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def targets_for(route: str) -> list[str]:
    names = {m.group("name") for m in PARAM.finditer(route)}
    if not names:
        return ["none"]
    if "item_pk" in names or ("note_pk" in names and "/notes/" in route):  # a phone's note
        return ["own", "foreign", "mixed", "missing"]
    return ["own", "foreign", "missing"]


def fill(route: str, name: str, target: str, world: World) -> list[str]:
    """Concrete paths of `route` for a target ('mixed': own workshop, foreign item)."""
    side = world.foreign if target == "foreign" else world.own
    rule = RULES[name]
    actions = [None]

    def value(param: str) -> str:
        if param == "pk":
            if target == "missing" and not (route.startswith("workshops/") and "item_pk" in route):
                return str(MISSING_PK)
            if rule == "area":
                return str(side.area.pk)
            if rule in ("programme", "programme_admin"):
                return str(side.programme.pk)
            if rule == "framework":
                return str(world.framework_pk)
            return str(side.workshop.pk)
        if param == "item_pk":
            if target in ("missing", "missing_item"):
                return str(MISSING_PK)
            source = world.foreign if target == "mixed" else side
            return str(source.review_item.pk if "review" in route else source.item.pk)
        if param == "note_pk" and "/notes/" in route:  # a phone's note (notes from phones)
            if target in ("missing", "missing_item"):
                return str(MISSING_PK)
            return str((world.foreign if target == "mixed" else side).note.pk)
        if param == "use":
            return "box"
        if param == "code":
            if rule == "ballot":
                return MISSING_CODE if target == "missing" else side.workshop.join_code
            return "NOPE" if target == "missing" else "C1"
        if param == "action":
            return "{action}"
        if param in ("position", "note_pk"):  # a pre-rating screen, an evidence card
            return str(MISSING_PK) if target == "missing" and param == "note_pk" else "1"
        if param == "sheet":
            return "ballot"
        if param == "token":
            return "not-a-valid-token" if target == "missing" else world.tokens[name, target]
        raise AssertionError(f"no value for <{param}> in {route}")

    path = "/" + PARAM.sub(lambda m: value(m.group("name")), route)
    if "{action}" in path:
        actions = [*(LIVE_ACTIONS if name == "notes_live_action" else ACTIONS), "nope"]
        return [path.replace("{action}", a) for a in actions]
    return [path]


def all_cases() -> list[tuple[str, str, str]]:
    cases = []
    for route, name in iter_routes():
        for target in targets_for(route):
            cases.append((name, route, target))
    return cases


# --- requests --------------------------------------------------------------------------------------


def garbage_posts(world: World) -> list[dict]:
    """Empty, wrong-typed and oversized form data, including the action plan's prefixed fields."""
    c1 = world.domain_pk
    own_item, review = world.own.item.pk, world.own.review_item.pk
    wrong = {
        "level": "²",
        "round": "²",
        "domain": "²",
        "version": "abc",
        "code": "é²" * 40,
        "title": "<script>alert(1)</script>",
        "date": "2026-13-45",
        "agreement_share": "NaN",
        "phase": "-1",
        "area": "abc",
        "programme": "",
        "framework": "abc",
        "facilitators": ["abc", "-1"],
        "sector": "nope",
        "display_name": "<b>x</b>",
        "reason": "x",
        "next": "https://evil.example/",
        "level_0": "-5",
        "level_1": "x",
        "file": "not a file",
        "old_password": "x",
        "new_password1": "y",
        "new_password2": "z",
        f"plan-{c1}-version": "1.5",
        f"plan-{c1}-is_priority": "maybe",
        f"new-{c1}-description": "",
        f"new-{c1}-status": "zzz",
        f"new-{c1}-due_date": "31/31/31",
        f"item-{own_item}-version": "-1",
        f"item-{own_item}-due_date": "0000-00-00",
        f"review-{review}-status": "zzz",
        f"review-{review}-version": "x",
    }
    huge = "9" * 40
    big = {
        "level": huge,
        "round": huge,
        "domain": huge,
        "version": huge,
        "code": "A" * 100_000,
        "title": "T" * 100_000,
        "venue": "V" * 100_000,
        "agreement_share": "1e309",
        "phase": huge,
        "area": huge,
        "framework": huge,
        "facilitators": [huge],
        "sector": "school",
        "display_name": "N" * 100_000,
        "organisation": "O" * 100_000,
        "reason": "R" * 100_000,
        "level_0": huge,
        "from_phase": huge,
        f"plan-{c1}-version": huge,
        f"plan-{c1}-working_well": "W" * 100_000,
        f"new-{c1}-description": "D" * 100_000,
        f"new-{c1}-version": huge,
        f"item-{own_item}-version": huge,
        f"item-{own_item}-description": "D" * 100_000,
        f"item-{own_item}-status": "done",
        f"review-{review}-version": huge,
        f"review-{review}-status": "done",
        f"review-{review}-note": "N" * 100_000,
    }
    return [{}, wrong, big]


def valid_post(name: str, target: str, world: World) -> dict | None:
    """Form data that would succeed for someone allowed to write: the sweep checks nobody
    else writes with it."""
    side = world.foreign if target == "foreign" else world.own
    item_side = world.foreign if target in ("foreign", "mixed") else world.own
    c1 = world.domain_pk
    item, review = item_side.item.pk, item_side.review_item.pk
    rnd = Round.objects.filter(workshop=side.workshop).order_by("-pk").first()
    workshop_data = {
        "title": "Valid title",
        "area": side.area.pk,
        "programme": "",
        "phase": "9",
        "date": "2027-01-01",
        "framework": world.framework_pk,
        "agreement_share": "0.80",
    }
    header = "area,phase," + ",".join(CODES)
    return {
        "actionplan_domain": {
            f"plan-{c1}-working_well": "Valid notes",
            f"plan-{c1}-challenges": "",
            f"plan-{c1}-next_steps": "",
            f"plan-{c1}-version": "1",
        },
        "actionplan_item_create": {
            f"new-{c1}-description": "Valid action",
            f"new-{c1}-status": "not_started",
        },
        "actionplan_item_edit": {
            f"item-{item}-description": "Valid change",
            f"item-{item}-status": "in_progress",
            f"item-{item}-version": "1",
        },
        "actionplan_item_delete": {"version": "1"},
        "actionplan_review_item": {
            f"review-{review}-status": "done",
            f"review-{review}-note": "Valid",
            f"review-{review}-version": "1",
        },
        "ratings_live_action": {
            "domain": str(c1),
            "level": "2",
            "reason": "Valid reason",
            "round": str(rnd.pk if rnd else 0),
            "level_0": "1",
            "level_1": "2",
        },
        "notes_live_action": {"domain": str(c1), "note": str(side.note.pk), "open": "1"},
        "notes_live_priorities": {"domain": "C1"},
        "notes_phone": {"domain": "C1", "kind": "challenges", "text": "Valid note"},
        "notes_phone_edit": {"domain": "C1", "text": "Valid change"},
        "notes_phone_dots": {"domain": str(c1)},
        "workshop_edit": workshop_data,
        "workshop_create": workshop_data,
        "ratings_join": {"code": side.workshop.join_code, "sector": "school"},
        "ratings_vote": {"round": str(rnd.pk if rnd else 0), "level": "1"},
        "ratings_import": {
            "new_programme": "Imported programme",
            "framework": str(world.framework_pk),
            "file": SimpleUploadedFile("r.csv", f"{header}\nImported area,1,1,1,1,1,1,1,1\n".encode()),
        },
    }.get(name)


def requests_for(name: str, path: str, world: World, role: str, target: str) -> list[tuple]:
    """(label, method, url, data, headers) to send to `path` as `role`.

    The console's poll carries the signed token the console page hands out; signed-in users
    get one as if they had the page open (anonymous visitors and phones never have one).
    """
    token = ""
    if RULES[name] == "poll" and role not in ("anonymous", "phone"):
        token = "t=" + poll_token(int(path.split("/")[2]), world.users[role].pk)
    plain = path + ("?" + token if token else "")
    out = [("GET", "get", plain, None, {})]
    if name in SLOW:
        return out
    garbage = path + GARBAGE_QUERY + ("&" + token if token else "")
    posts = garbage_posts(world)
    out += [
        ("GET garbage", "get", garbage, None, {}),
        ("GET huge", "get", path + HUGE_QUERY + ("&" + token if token else ""), None, {}),
        ("GET htmx", "get", plain, None, {"HTTP_HX_REQUEST": "true"}),
        *[(f"POST #{i}", "post", plain, data, {}) for i, data in enumerate(posts)],
        ("POST htmx", "post", plain, posts[1], {"HTTP_HX_REQUEST": "true"}),
    ]
    valid = valid_post(name, target, world)
    if valid is not None:
        out.append(("POST valid", "post", plain, valid, {}))
    return out


def flags(column: str) -> str:
    """How many rows have a true boolean `column` (PostgreSQL cannot SUM booleans)."""
    return f"COALESCE(SUM(CASE WHEN {column} THEN 1 ELSE 0 END), 0)"


def snapshot() -> tuple:
    """A fingerprint of everything a request could write, in one query."""
    counted = [
        Area,
        Programme,
        Participant,
        Round,
        Vote,
        HandCount,
        Consensus,
        ConsensusChange,
        PlanEdit,
        Dot,
    ]
    parts = [f"(SELECT COUNT(*) FROM {m._meta.db_table})" for m in counted]
    w, p, i, r = (m._meta.db_table for m in (Workshop, DomainPlan, ActionItem, ItemReview))
    parts += [
        f"(SELECT COUNT(*) || ':' || COALESCE(SUM(state_version), 0) || ':'"
        f" || COALESCE(SUM(LENGTH(title)), 0) || ':' || COALESCE(SUM(area_id), 0)"
        f" || ':' || COALESCE(SUM(LENGTH(status)), 0) FROM {w})",
        f"(SELECT COUNT(*) || ':' || COALESCE(SUM(version), 0) FROM {p})",
        f"(SELECT COUNT(*) || ':' || COALESCE(SUM(version), 0) FROM {i})",
        f"(SELECT COUNT(*) || ':' || COALESCE(SUM(version), 0) FROM {r})",
        f"(SELECT COUNT(*) || ':' || COALESCE(SUM(LENGTH(text)), 0) || ':' || {flags('is_hidden')}"
        f" || ':' || COALESCE(SUM(LENGTH(used_as)), 0) FROM {Note._meta.db_table})",
        f"(SELECT COUNT(*) || ':' || {flags('notes_open')} || ':' || {flags('dots_open')}"
        f" || ':' || COALESCE(SUM(priority_voters), 0) FROM {LiveNotes._meta.db_table})",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def send(world: World, role: str, method: str, url: str, data, headers: dict, *, fresh: bool):
    client = client_of(world, role, fresh=fresh)
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, data or {}, **headers)


# --- the tests -------------------------------------------------------------------------------------


def test_every_route_is_classified():
    """A new URL must be given an access rule here before the sweep passes."""
    names = {name for _route, name in iter_routes()}
    assert None not in names, "every route needs a name"
    assert names == set(RULES), (sorted(names - set(RULES)), sorted(set(RULES) - names))


CASES = all_cases()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route", "target"), CASES, ids=[f"{n}-{t}" for n, _r, t in CASES])
def test_sweep(name, route, target, world):
    rule = RULES[name]
    problems: list[str] = []
    secrets = {"own": world.own.secret, "foreign": world.foreign.secret}
    fresh = name == "logout"  # logging out ends the shared session
    paths = fill(route, name, target, world)
    missing = (
        # 'mixed' (own workshop, foreign item) compares with a missing item of the own workshop
        fill(route, name, "missing_item" if target == "mixed" else "missing", world)
        if target not in ("none", "missing")
        else [None] * len(paths)
    )
    for path, missing_path in zip(paths, missing, strict=True):
        # Those who may write go last, so their writes (a deleted item…) hide nothing from others.
        for role in sorted(ROLES, key=lambda r: writes(name, rule, r, target)):
            reqs = requests_for(name, path, world, role, target)
            counterparts = (
                requests_for(name, missing_path, world, role, "missing")
                if missing_path
                else [None] * len(reqs)
            )
            for (label, method, url, data, headers), counterpart in zip(reqs, counterparts, strict=True):
                before = snapshot()
                response = send(world, role, method, url, data, headers, fresh=fresh)
                after = snapshot()
                status = response.status_code
                where = f"{role} {label} {url[:100]}"
                if status not in OK_STATUSES:
                    exc = getattr(response, "exc_info", None)
                    problems.append(
                        f"{where}: status {status} {exc[1]!r}" if exc else f"{where}: status {status}"
                    )
                    continue
                if status in (301, 302, 303):
                    location = response["Location"]
                    if not location.startswith("/") or location.startswith("//"):
                        problems.append(f"{where}: redirects off-site to {location}")
                if before != after and (method == "get" or not writes(name, rule, role, target)):
                    problems.append(f"{where}: wrote although it may not")
                if status == 400 and not response.content.strip():
                    problems.append(f"{where}: 400 without a message")
                body = response.content.decode(errors="replace")
                for side, secret in secrets.items():
                    if secret in body and not may_read(role, side) and rule != "link":
                        problems.append(f"{where}: shows {side} data to someone who may not see it")
                if sees(rule, role, target):
                    continue
                # May not see it: the same answer as for an object that does not exist.
                if role in ("anonymous", "phone") and rule not in ("public", "ballot", "poll"):
                    if not is_login_redirect(response):
                        problems.append(f"{where}: {status} instead of the login page")
                    continue
                if counterpart is not None:
                    expected = send(world, role, *counterpart[1:], fresh=fresh).status_code
                    if status != expected:
                        problems.append(
                            f"{where}: {status}, but {expected} for an object that does not exist"
                        )
                join_first = rule == "ballot" and response.get("Location", "").startswith("/join/?code=")
                if role not in ("anonymous", "phone") and status not in (403, 404, 405) and not join_first:
                    problems.append(f"{where}: {status} for someone who may not see it")
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


@pytest.mark.django_db
def test_the_outsider_facilitator_is_refused_every_request_of_the_review(
    users, workshop, follow_up, other_area, framework
):
    """Issue 9: a facilitator of another area tries to create a workshop in area A, then sends
    the exact requests of the security review. Each is refused as if area A did not exist."""
    from tests.intruder import attempt_workshop_in_foreign_area

    item = ActionItem.objects.create(
        workshop=workshop, domain=framework.domains.get(code="C1"), description="Earlier action"
    )
    client = Client()
    client.force_login(users["other_facilitator"])
    attempt_workshop_in_foreign_area(client, workshop.area, framework, workshop.programme, phase=2)
    before = snapshot()
    for url in [
        f"/areas/{workshop.area.pk}/",
        f"/workshops/{follow_up.pk}/plan/review/",
        f"/workshops/{follow_up.pk}/plan.pdf",
        f"/workshops/{workshop.pk}/plan.pdf",
        f"/workshops/{workshop.pk}/plan/preview/",
    ]:
        assert client.get(url).status_code == 404, url
    done = {
        f"review-{item.pk}-status": "done",
        f"review-{item.pk}-note": "Done by us",
        f"review-{item.pk}-version": "0",
    }
    assert client.post(f"/workshops/{follow_up.pk}/plan/review/{item.pk}/", done).status_code == 404
    assert snapshot() == before
