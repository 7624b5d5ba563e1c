from __future__ import annotations

import pytest

from ratings.models import Consensus, HandCount, Participant, Round, Sector, Vote
from ratings.results import participants_by_sector, workshop_results


def _agree(workshop, levels: dict[str, int]) -> None:
    for domain in workshop.framework.domains.all():
        if domain.code in levels:
            Consensus.objects.create(workshop=workshop, domain=domain, level=levels[domain.code])


@pytest.mark.django_db
def test_it_reports_levels_totals_and_change(workshop, follow_up):
    codes = ["C1", "A1", "S", "C2", "A2", "D", "E"]
    _agree(workshop, dict.fromkeys(codes, 1))
    _agree(follow_up, {**dict.fromkeys(codes, 1), "C1": 3, "E": 0})
    results = workshop_results(follow_up)
    assert results.complete and results.total == 8 and results.previous_total == 7 and results.change == 1
    assert results.max_total == 21
    by_code = {d.domain.code: d for d in results.domains}
    assert (by_code["C1"].change, by_code["E"].change, by_code["S"].change) == (2, -1, 0)
    assert by_code["C1"].label == "Gold standard"


@pytest.mark.django_db
def test_it_tallies_the_latest_round_with_hand_counts(workshop):
    domain = workshop.framework.domains.first()
    old = Round.objects.create(workshop=workshop, domain=domain, number=1)
    new = Round.objects.create(workshop=workshop, domain=domain, number=2)
    people = [Participant.objects.create(workshop=workshop, sector=Sector.SCHOOL) for _ in range(3)]
    Vote.objects.create(round=old, participant=people[0], level=0)
    Vote.objects.create(round=new, participant=people[0], level=2)
    Vote.objects.create(round=new, participant=people[1], level=None)
    HandCount.objects.create(round=new, level=1, count=2)
    result = workshop_results(workshop).domains[0]
    assert result.latest_round == new
    assert result.summary.counts == (0, 2, 1, 0) and result.summary.not_sure == 1
    assert result.hand_counted
    assert not workshop_results(workshop).complete


@pytest.mark.django_db
def test_its_query_count_does_not_grow_with_votes(workshop, django_assert_num_queries):
    domains = list(workshop.framework.domains.all())
    for n in (3, 60):
        Round.objects.all().delete()
        Participant.objects.all().delete()
        for domain in domains:
            r = Round.objects.create(workshop=workshop, domain=domain)
            for _ in range(n):
                p = Participant.objects.create(workshop=workshop, sector=Sector.OTHER)
                Vote.objects.create(round=r, participant=p, level=n % 4)
        with django_assert_num_queries(7):
            workshop_results(workshop)


@pytest.mark.django_db
def test_participants_by_sector(workshop):
    for sector in [Sector.SCHOOL, Sector.SCHOOL, Sector.COMMISSIONER]:
        Participant.objects.create(workshop=workshop, sector=sector)
    assert participants_by_sector(workshop) == [("School or college", 2), ("Commissioner (CCG)", 1)]
