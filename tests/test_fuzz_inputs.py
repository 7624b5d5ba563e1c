"""Hostile values in every field and query parameter of every route: never a 5xx (issue 21).

The outsider's fuzzer got ten 500s, all from a NUL character (a phone note `text=a\\x00b`;
PostgreSQL refuses NUL in text). For every URL pattern (walked, filled and classified by
tests/test_url_sweep.py) this sends, as each user who can reach the page:

- to every query parameter the page links to or has a GET form for, and to the parameters any
  view reads (found in the source): NUL, overlong, non-UTF-8 and huge-integer values;
- to every POST endpoint: the fields of the forms that post to it (found on the pages) and of a
  valid post (test_url_sweep.valid_post), one field at a time on top of the valid post, so each
  value reaches as deep as a real submission would;
- paths whose string parts (a join code) carry NUL or bytes that are not UTF-8.

A NUL always gets 400 with a message; nothing gets a 5xx, and every 400 says why.
"""

from __future__ import annotations

import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from actionplans.models import Note
from ratings.identity import poll_token
from tests import test_url_sweep as sweep
from workshops.middleware import NUL_MESSAGE

world = sweep.world  # the sweep's fixture: both sides filled, users and a joined phone

ROOT = Path(__file__).resolve().parents[1]
NUL = "a\x00b"
HUGE_INTS = ["9" * 40, str(2**63), str(2**31), "-" + "9" * 20]
OVERLONG = "x" * 20_000
VALUES = {"nul": NUL, "overlong": OVERLONG, **{f"huge{i}": v for i, v in enumerate(HUGE_INTS)}}
NOT_UTF8 = "%FF%FE%C0%AF"  # percent-encoded bytes that are not UTF-8
REACHERS = ("facilitator", "lead", "admin", "phone", "anonymous")  # who may reach `own` objects


def _params_read_in_source() -> set[str]:
    """Query parameters any view reads by name (request.GET.get("x"), "x" in request.GET)."""
    names: set[str] = set()
    pattern = re.compile(
        r"""GET(?:\.get|\.getlist)?\(\s*["'](\w[\w-]*)["']|["'](\w[\w-]*)["']\s+in\s+request\.GET"""
    )
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "node_modules" in path.parts:
            continue
        for match in pattern.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return names


SOURCE_PARAMS = _params_read_in_source()


class _Forms(HTMLParser):
    """Forms (method, action, field names) and the query parameters of links on a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(((a.get("method") or "get").lower(), a.get("action") or "", set()))
        elif tag in ("input", "select", "textarea", "button") and a.get("name") and self.forms:
            self.forms[-1][2].add(a["name"])
        elif tag == "a" and a.get("href") and "?" in a["href"]:
            self.links.append(a["href"])


def _page_inputs(html: str, path: str) -> tuple[set[str], dict[str, set[str]]]:
    """(query parameters for `path`, POST fields by the path they post to) found on a page."""
    parser = _Forms()
    parser.feed(html)
    params: set[str] = set()
    posts: dict[str, set[str]] = {}
    for method, action, names in parser.forms:
        target = urllib.parse.urljoin(path, action).split("?")[0]
        if method == "get" and target == path:
            params |= names
        elif method == "post":
            posts.setdefault(target, set()).update(names - {"csrfmiddlewaretoken"})
    for href in parser.links:
        target, _, query = urllib.parse.urljoin(path, href).partition("?")
        if target == path:
            params |= {k for k, _v in urllib.parse.parse_qsl(query, keep_blank_values=True)}
    return params, posts


def _reachers(rule: str, target: str) -> list[str]:
    return [role for role in REACHERS if sweep.sees(rule, role, target)]


def _token(name: str, path: str, world: sweep.World, role: str) -> dict[str, str]:
    """The console poll's signed token (the sweep's rule: signed-in users have the page open)."""
    if sweep.RULES[name] == "poll" and role not in ("anonymous", "phone"):
        return {"t": poll_token(int(path.split("/")[2]), world.users[role].pk)}
    return {}


def _encode(fields: dict) -> str:
    return urllib.parse.urlencode(fields, doseq=True)


def _check(problems: list[str], where: str, response, *, nul: bool = False) -> None:
    status = response.status_code
    if status >= 500:
        exc = getattr(response, "exc_info", None)
        problems.append(f"{where}: {status} {exc[1]!r}" if exc else f"{where}: {status}")
    elif nul and (status != 400 or response.content.decode() != NUL_MESSAGE):
        problems.append(f"{where}: {status} instead of 400 for a NUL")
    elif status == 400 and not response.content.strip():
        problems.append(f"{where}: 400 without a message")


def _fuzz_get(client: Client, path: str, params: set[str], token: dict, problems: list[str], slow: bool):
    """Every value in all the parameters at once, then in each advertised parameter alone."""
    for label, value in VALUES.items():
        if slow and label not in ("nul", "huge0"):
            continue
        query = _encode({**dict.fromkeys(sorted(params | SOURCE_PARAMS), value), **token})
        _check(problems, f"GET {path} all={label}", client.get(f"{path}?{query}"), nul=label == "nul")
    if slow:
        return
    raw = "&".join(f"{p}={NOT_UTF8}" for p in sorted(params | SOURCE_PARAMS))
    _check(problems, f"GET {path} all=not-utf8", client.get(f"{path}?{raw}&{_encode(token)}"))
    for param in sorted(params - {"t"}):
        for label, value in VALUES.items():
            if label == "nul":
                continue  # the all-at-once NUL is refused before anything reads a parameter
            query = _encode({param: value, **token})
            _check(problems, f"GET {path} {param}={label}", client.get(f"{path}?{query}"))
        _check(
            problems,
            f"GET {path} {param}=not-utf8",
            client.get(f"{path}?{param}={NOT_UTF8}&{_encode(token)}"),
        )


def _fuzz_post(
    client: Client, path: str, base: dict, fields: set[str], every_field: set[str], problems: list[str]
):
    """Every field at once, then each of `fields` alone, with each value on top of `base` (a
    valid post, or nothing)."""
    files = {k: v for k, v in base.items() if hasattr(v, "read")}
    plain = {k: v for k, v in base.items() if k not in files}

    def post(data: dict, where: str, nul: bool = False):
        if files:
            for f in files.values():
                f.seek(0)
            response = client.post(path, {**data, **files})
        else:
            response = client.post(path, _encode(data), content_type="application/x-www-form-urlencoded")
        _check(problems, where, response, nul=nul)

    post({**plain, "x\x00": "1"}, f"POST {path} NUL in a field name", nul=True)
    every = sorted((set(plain) | fields | set(every_field)) - set(files)) or ["x"]
    for label, value in VALUES.items():
        post({**plain, **dict.fromkeys(every, value)}, f"POST {path} all={label}", nul=label == "nul")
    for field in sorted(fields - set(files)):
        for label, value in VALUES.items():
            post({**plain, field: value}, f"POST {path} {field}={label}", nul=label == "nul")
        if not files:
            raw = "&".join([_encode({k: v for k, v in plain.items() if k != field}), f"{field}={NOT_UTF8}"])
            response = client.post(path, raw.strip("&"), content_type="application/x-www-form-urlencoded")
            _check(problems, f"POST {path} {field}=not-utf8", response)
            response = client.post(
                path, f"{field}=\xff\xfe".encode("latin-1"), content_type="application/x-www-form-urlencoded"
            )
            _check(problems, f"POST {path} {field}=raw-not-utf8", response)


ROUTES = [(route, name) for route, name in sweep.iter_routes()]
_CRAWLED: dict[str, dict] = {}


def _key(path: str) -> tuple[str, str] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.url_name, match.kwargs.get("action", "")


def _crawl(world: sweep.World) -> dict[str, dict]:
    """Query parameters and POST fields of every page, keyed by URL name (and live action):
    read once, from the first world, as each user who can reach the page."""
    if _CRAWLED:
        return _CRAWLED
    params: dict[tuple, set[str]] = {}
    posts: dict[tuple, set[str]] = {}
    for route, name in ROUTES:
        if name in sweep.SLOW or name == "logout":
            continue
        target = "none" if "<" not in route else "own"
        for path in sweep.fill(route, name, target, world):
            for role in _reachers(sweep.RULES[name], target):
                client = sweep.client_of(world, role)
                page = client.get(path, _token(name, path, world, role))
                if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                    continue
                found, posted = _page_inputs(page.content.decode(errors="replace"), path)
                params.setdefault(_key(path), set()).update(found)
                for action, names in posted.items():
                    posts.setdefault(_key(action), set()).update(names)
    _CRAWLED.update(params=params, posts=posts)
    return _CRAWLED


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[name for _route, name in ROUTES])
def test_no_hostile_value_gets_a_5xx(route, name, world):
    rule = sweep.RULES[name]
    target = "none" if "<" not in route else "own"
    crawled = _crawl(world)
    problems: list[str] = []
    for path in sweep.fill(route, name, target, world):
        for i, role in enumerate(_reachers(rule, target) or ["anonymous"]):
            client = sweep.client_of(world, role, fresh=name == "logout")
            token = _token(name, path, world, role)
            _check(problems, f"{role} GET {path}", client.get(path, token))
            params = crawled["params"].get(_key(path), set())
            _fuzz_get(client, path, params if i == 0 else set(), token, problems, slow=name in sweep.SLOW)
            if name in sweep.SLOW or name == "logout":
                continue
            base = dict(sweep.valid_post(name, target, world) or {})
            fields = set(base) | crawled["posts"].get(_key(path), set())
            url = path + ("?" + _encode(token) if token else "")
            _fuzz_post(client, url, base, fields if i == 0 else set(), fields, problems)
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


def _string_paths(route: str, name: str, world: sweep.World) -> list[str]:
    """The route with each string part (a join code, a domain code) NUL or not UTF-8."""
    paths = []
    for bad in ("a%00b", NOT_UTF8):
        filled = sweep.fill(route, name, "own", world)[0]
        for param in re.findall(r"<(?:str:)?(code|use|sheet|action)>", route):
            value = {"code": world.own.workshop.join_code, "use": "box", "sheet": "ballot"}.get(param)
            if value and value in filled:
                paths.append(filled.replace(value, bad, 1))
    return paths


@pytest.mark.django_db
def test_no_hostile_path_gets_a_5xx(world):
    problems: list[str] = []
    for route, name in ROUTES:
        for path in _string_paths(route, name, world):
            for role in ("phone", "facilitator"):
                client = sweep.client_of(world, role)
                _check(problems, f"{role} GET {path}", client.get(path), nul="%00" in path)
                _check(problems, f"{role} POST {path}", client.post(path, {}), nul="%00" in path)
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


@pytest.mark.django_db
def test_a_nul_in_a_phone_note_is_refused_with_a_message(world):
    """The fuzzer's example: a phone note `text=a\\x00b` was a 500 on PostgreSQL."""
    phone = sweep.client_of(world, "phone")
    code = world.own.workshop.join_code
    response = phone.post(f"/p/{code}/notes/", {"domain": "C1", "kind": "challenges", "text": NUL})
    assert response.status_code == 400 and response.content.decode() == NUL_MESSAGE
    assert not Note.objects.exclude(pk__in=[world.own.note.pk, world.foreign.note.pk]).exists()


@pytest.mark.django_db
def test_a_nul_reaches_neither_fast_path(world):
    """The phones' fast paths (ratings.fastpoll, ratings.fastvote) run before the views: the
    NUL refusal runs before them."""
    phone = sweep.client_of(world, "phone")
    code = world.own.workshop.join_code
    poll = phone.get(f"/p/{code}/poll/", {"s": NUL}, HTTP_HX_REQUEST="true")
    vote = phone.post(f"/p/{code}/vote/", {"round": "1", "level": NUL}, HTTP_HX_REQUEST="true")
    assert [poll.status_code, vote.status_code] == [400, 400]
    assert poll.content.decode() == vote.content.decode() == NUL_MESSAGE
