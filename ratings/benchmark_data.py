"""Read a programme's agreed levels into the plain structures of `ratings.benchmark`.

The programme report and every benchmark load through `load_programme_levels`: five queries
whatever the number of areas (workshops, framework, domains, levels, agreed levels). A benchmark
shown to a CCG lead or facilitator reads one more: the latest releases of its phases
(`ratings.benchmark_release`), taking a new one here, on read, when one is due (after one
more reading every release of the phase, to check it against other programmes' releases).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from workshops.models import Domain, Framework, Level, Programme, Workshop

from .benchmark import (
    AreaRatings,
    Benchmark,
    DomainInfo,
    PhaseRatings,
    area_benchmark,
    comparable,
    own_vote_words,
)
from .benchmark_release import Release, next_release, released_benchmark, singles_out_an_area
from .consensus import VoteSummary, summarise
from .models import BenchmarkRelease, Consensus, HandCount, Round, Vote


@dataclass
class ProgrammeLevels:
    framework: Framework | None
    framework_name: str
    domains: list[DomainInfo]
    short_titles: dict[str, str]  # domain code -> short title, for narrow tables
    n_levels: int
    areas: list[AreaRatings]


def _majority_framework(framework_counts: Counter) -> tuple[int, str] | None:
    """The framework most of the compared workshops used (ties: the oldest framework)."""
    if not framework_counts:
        return None
    (fid, name), _ = min(framework_counts.items(), key=lambda item: (-item[1], item[0][0]))
    return fid, name


def load_programme_levels(
    programme_id: int, phases: Collection[int], framework: Framework | None = None
) -> ProgrammeLevels:
    """Every area of the programme with its agreed levels in `phases`.

    Compared with `framework` when given (a workshop's), else with the one most of the
    phases' workshops used. Imported paper ratings are workshops like any other.
    """
    workshops = list(
        Workshop.objects.filter(programme_id=programme_id).values_list(
            "pk", "area_id", "area__name", "area__code", "phase", "framework_id", "framework__name"
        )
    )
    if framework is None:
        majority = _majority_framework(
            Counter((fid, fname) for _pk, _a, _n, _c, phase, fid, fname in workshops if phase in phases)
        )
        if majority is None:
            framework = Framework.get_default()
        else:
            framework = Framework.objects.filter(pk=majority[0]).first()
    framework_id = framework.pk if framework else 0
    framework_name = framework.name if framework else ""

    domains = list(
        Domain.objects.filter(framework_id=framework_id)
        .order_by("position", "pk")
        .values_list("pk", "code", "title", "short_title")
    )
    n_levels = Level.objects.filter(framework_id=framework_id).count()
    code_of = {pk: code for pk, code, _title, _short in domains}

    levels_by_workshop: dict[int, dict[str, int]] = defaultdict(dict)
    for workshop_id, domain_id, level in Consensus.objects.filter(
        workshop__programme_id=programme_id, workshop__phase__in=list(phases)
    ).values_list("workshop_id", "domain_id", "level"):
        # A level outside the framework's scale is not a usable agreed level.
        if domain_id in code_of and level < n_levels:
            levels_by_workshop[workshop_id][code_of[domain_id]] = level

    areas: dict[int, AreaRatings] = {}
    for pk, area_id, area_name, area_code, phase, _fid, fname in workshops:
        area = areas.setdefault(area_id, AreaRatings(name=area_name, code=area_code, phases={}, pk=area_id))
        if phase in phases:
            area.phases[phase] = PhaseRatings(framework=fname, levels=levels_by_workshop.get(pk, {}))
    return ProgrammeLevels(
        framework=framework,
        framework_name=framework_name,
        domains=[DomainInfo(code, title) for _pk, code, title, _short in domains],
        short_titles={code: short for _pk, code, _title, short in domains},
        n_levels=n_levels,
        areas=list(areas.values()),
    )


def sees_current_figures(user, programme_id: int) -> bool:
    """Admins and the programme's leads may see every area (the programme report), so they see
    the current figures; everyone else only released ones. No user (a command): released."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        user.is_staff
        and Programme.leads.through.objects.filter(programme_id=programme_id, user_id=user.pk).exists()
    )


def _as_release(row: BenchmarkRelease) -> Release:
    levels = {int(pk): levels for pk, levels in row.levels.items()}
    return Release(row.number, timezone.localdate(row.released_at), levels)


def _seen_releases(programme_id: int, framework_id: int, phase: int) -> tuple[list[set[int]], list[set[int]]]:
    """Every release of the phase: (other programmes' and frameworks', this set's own). Those are
    the sets a reader may have noted (an area can be in several programmes)."""
    others, own = [], []
    for programme, framework, levels in BenchmarkRelease.objects.filter(phase=phase).values_list(
        "programme_id", "framework_id", "levels"
    ):
        mine = programme == programme_id and framework == framework_id
        (own if mine else others).append({int(pk) for pk in levels})
    return others, own


def latest_releases(
    programme_id: int, loaded: ProgrammeLevels, phases: Collection[int]
) -> dict[int, Release]:
    """The latest release of each phase (one query), taking the next one first where it is due.

    Race-safe: the release number is unique per programme, framework and phase, so two requests
    taking the same release store one (get_or_create) and both show it.
    """
    if loaded.framework is None:
        return {}
    codes = [d.code for d in loaded.domains]
    same_set = BenchmarkRelease.objects.filter(
        programme_id=OuterRef("programme_id"), framework_id=OuterRef("framework_id"), phase=OuterRef("phase")
    )
    rows = {
        row.phase: row
        for row in BenchmarkRelease.objects.filter(
            programme_id=programme_id,
            framework=loaded.framework,
            phase__in=list(phases),
            number=Subquery(same_set.order_by("-number").values("number")[:1]),
        )
    }
    releases = {}
    for phase in phases:
        row = rows.get(phase)
        latest = _as_release(row) if row is not None else None
        # A release without a level for a domain added since cannot be compared: start afresh.
        released = latest.levels if latest is not None and latest.covers(codes) else {}
        complete = {
            a.pk: a.phases[phase].levels
            for a in comparable(loaded.areas, (phase,), loaded.framework_name, codes)
        }
        levels = next_release(complete, released, settings.BENCHMARK_MIN_AREAS)
        if levels is not None:
            others, own = _seen_releases(programme_id, loaded.framework.pk, phase)
            if singles_out_an_area(others, list(levels), own):
                levels = None  # combined with another programme's releases it would give an area away
        if levels is not None:
            row, _taken = BenchmarkRelease.objects.get_or_create(
                programme_id=programme_id,
                framework=loaded.framework,
                phase=phase,
                number=row.number + 1 if row is not None else 1,
                defaults={"levels": {str(pk): lv for pk, lv in levels.items()}},
            )
            latest = _as_release(row)
        if latest is not None:
            releases[phase] = latest
    return releases


def workshop_benchmark(
    workshop: Workshop, previous: Workshop | None = None, *, current: bool = False
) -> Benchmark | None:
    """The workshop's area against the other areas of the workshop's programme in its phase
    (and, at a follow-up, their change since `previous`); None outside a programme.

    `current` (admins and programme leads, see `sees_current_figures`): the current figures;
    otherwise the latest releases'. Pass `previous` when the caller already read
    `workshop.previous_workshop()`.
    """
    if workshop.programme_id is None:
        return None
    if previous is None and workshop.is_follow_up:
        previous = workshop.previous_workshop()
    previous_phase = previous.phase if previous is not None else None
    phases = {workshop.phase} | ({previous_phase} if previous_phase is not None else set())
    loaded = load_programme_levels(workshop.programme_id, phases, workshop.framework)
    if current:
        return area_benchmark(
            workshop.programme.name,
            workshop.area.code,
            workshop.phase,
            previous_phase,
            loaded.framework_name,
            loaded.domains,
            loaded.n_levels,
            loaded.areas,
            settings.BENCHMARK_MIN_AREAS,
            loaded.short_titles,
        )
    releases = latest_releases(workshop.programme_id, loaded, phases)
    me = next((a for a in loaded.areas if a.pk == workshop.area_id), None)

    def my_levels(phase: int | None) -> dict[str, int]:
        rated = me.phases.get(phase) if me is not None and phase is not None else None
        return rated.levels if rated is not None and rated.framework == loaded.framework_name else {}

    return released_benchmark(
        workshop.programme.name,
        workshop.area_id,
        workshop.area.name,
        workshop.phase,
        previous_phase,
        loaded.domains,
        loaded.n_levels,
        my_levels(workshop.phase),
        my_levels(previous_phase),
        releases.get(workshop.phase),
        releases.get(previous_phase) if previous_phase is not None else None,
        settings.BENCHMARK_MIN_AREAS,
        loaded.short_titles,
    )


def room_summary(rnd: Round, workshop: Workshop) -> VoteSummary:
    """The revealed round's tally exactly as the projector shows it: phone votes and hands."""
    scores = list(Level.objects.filter(framework_id=workshop.framework_id).values_list("score", flat=True))
    votes = [lv for lv in Vote.objects.filter(round=rnd).values_list("level", flat=True)]
    hands = HandCount.objects.filter(round=rnd, count__gt=0).values_list("level", "count")
    votes += [lv for lv, n in hands for _ in range(n)]
    return summarise([v for v in votes if v is None or v in scores], workshop.agreement_share, scores)


def own_vote_in_room(rnd: Round, workshop: Workshop, vote: Vote | None) -> str:
    """The phone's private line after a reveal (see `ratings.benchmark.own_vote_words`)."""
    summary = room_summary(rnd, workshop)
    return own_vote_words(vote.level if vote else None, vote is not None, summary.counts, summary.suggestion)
