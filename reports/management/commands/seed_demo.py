"""Demo data for trying the app: safe to run again and again."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from actionplans.demo import seed_demo_action_plan
from ratings.models import Consensus, ConsensusChange, Participant, Round, Sector, Vote
from reports.demo import seed_report_demo
from workshops.framework_data import ensure_reference_data
from workshops.models import CCG_LEADS_GROUP, FACILITATORS_GROUP, Area, Framework, Programme, Workshop

DEMO_USERS = [
    # username, password, first, last, group, is_superuser
    ("facilitator", "cascade-facilitator", "Fran", "Facilitator", FACILITATORS_GROUP, False),
    ("lead", "cascade-lead", "Lee", "Lead", CCG_LEADS_GROUP, False),
    ("admin", "cascade-admin", "Ada", "Admin", None, True),
    ("programmelead", "cascade-programme", "Pat", "Programme-Lead", None, False),
]
DEMO_PARTICIPANTS = [
    ("Head of Hillside Academy", Sector.SCHOOL),
    ("SENCo, Brook Primary", Sector.SCHOOL),
    ("Pastoral lead, North Shire College", Sector.SCHOOL),
    ("CAMHS team lead", Sector.NHS_CYPMHS),
    ("CAMHS practitioner", Sector.NHS_CYPMHS),
    ("School nurse", Sector.OTHER_PROVIDER),
    ("Educational psychologist", Sector.OTHER_PROVIDER),
    ("Early help manager", Sector.LOCAL_AUTHORITY),
    ("CCG commissioner", Sector.COMMISSIONER),
]
BASELINE_LEVELS = {"C1": 1, "A1": 2, "S": 1, "C2": 0, "A2": 1, "D": 1, "E": 0}


class Command(BaseCommand):
    help = "Create demo users, areas, a programme and two workshops (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        ensure_reference_data()  # the framework and groups, should they have been deleted or flushed
        users = {}
        for username, password, first, last, group, superuser in DEMO_USERS:
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.org"
            user.is_superuser = superuser
            user.is_staff = superuser or username == "programmelead"
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            users[username] = user

        programme, _ = Programme.objects.get_or_create(
            name="Demo programme 2026",
            defaults={"description": "Baseline and follow-up CASCADE workshops in two demo areas."},
        )
        north, _ = Area.objects.get_or_create(
            code="NSH", defaults={"name": "North Shire CCG", "region": "North West"}
        )
        Area.objects.get_or_create(code="RVP", defaults={"name": "Riverside Place", "region": "London"})
        north.leads.add(users["lead"])
        if not users["lead"].email:  # the weekly digest of send_reminders goes here
            users["lead"].email = "lead@example.org"
            users["lead"].save(update_fields=["email"])
        north.facilitators.add(users["facilitator"])  # facilitators work only in assigned areas
        framework = Framework.get_default()

        baseline, created = Workshop.objects.get_or_create(
            programme=programme,
            area=north,
            phase=1,
            defaults={
                "title": "North Shire baseline workshop",
                "date": dt.date(2026, 9, 15),
                "venue": "Hillside Academy hall",
                "framework": framework,
                "status": Workshop.Status.CLOSED,
                "created_by": users["facilitator"],
            },
        )
        baseline.facilitators.add(users["facilitator"])
        if created:
            people = [
                Participant.objects.create(workshop=baseline, display_name=name, sector=sector)
                for name, sector in DEMO_PARTICIPANTS
            ]
            for domain in framework.domains.all():
                level = BASELINE_LEVELS.get(domain.code, 1)
                # Nine phones: eight at the agreed level or one above, one below.
                ballot = [level] * 5 + [min(level + 1, 3)] * 3 + [max(level - 1, 0)]
                rnd = Round.objects.create(
                    workshop=baseline, domain=domain, status=Round.Status.CLOSED, revealed_at=timezone.now()
                )
                Vote.objects.bulk_create(
                    Vote(round=rnd, participant=p, level=v) for p, v in zip(people, ballot, strict=True)
                )
                Consensus.objects.create(
                    workshop=baseline,
                    domain=domain,
                    level=level,
                    suggested_level=level,
                    confirmed_by=users["facilitator"],
                )
                ConsensusChange.objects.create(
                    workshop=baseline, domain=domain, new_level=level, changed_by=users["facilitator"]
                )

        follow_up, _ = Workshop.objects.get_or_create(
            programme=programme,
            area=north,
            phase=2,
            defaults={
                "title": "North Shire follow-up workshop",
                "date": dt.date(2026, 12, 8),
                "venue": "Hillside Academy hall",
                "framework": framework,
                "created_by": users["facilitator"],
            },
        )
        follow_up.facilitators.add(users["facilitator"])

        seed_demo_action_plan(baseline)
        seed_report_demo()  # a 20-area paper pilot, imported through the CSV importer
        for led in Programme.objects.all():
            led.leads.add(users["programmelead"])

        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ as:"))
        for username, password, _first, _last, group, superuser in DEMO_USERS:
            role = "admin" if superuser else (group or "programme lead")
            self.stdout.write(f"  {role:<13} username {username:<12} password {password}")
        self.stdout.write(
            f"  participants  join code {follow_up.join_code_display} (once the follow-up is started)"
        )
