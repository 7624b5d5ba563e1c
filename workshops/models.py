"""Frameworks, areas, programmes and workshops: the data every other app hangs off."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .agreement import agreement_in_words
from .area_access import AreaQuerySet
from .mail_models import MailOptOut, Outbox  # noqa: F401  (registered with this app's models)

FACILITATORS_GROUP = "Facilitators"
CCG_LEADS_GROUP = "CCG leads"

# Letters and digits that cannot be confused when read aloud or off a projector:
# no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G, Q, V (sounds like B/P/D/E).
JOIN_CODE_ALPHABET = "ACDEFHJKMNPRTUWXY3479"
JOIN_CODE_LENGTH = 6


def generate_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str) -> str:
    """Accept what people type: lower case, spaces and dashes."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


class Framework(models.Model):
    name = models.CharField(max_length=200, unique=True)
    edition = models.CharField(max_length=50, blank=True)
    source = models.TextField(help_text="Attribution shown wherever the framework's text is used.")
    is_default = models.BooleanField(
        default=False, help_text="Preselected when a facilitator creates a workshop."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.edition})" if self.edition else self.name

    def get_absolute_url(self) -> str:
        return reverse("framework_detail", args=[self.pk])

    @classmethod
    def get_default(cls) -> Framework | None:
        return cls.objects.filter(is_default=True).first() or cls.objects.first()

    def is_in_use(self) -> bool:
        """A framework that any workshop has used keeps its levels and domains."""
        return self.pk is not None and self.workshop_set.exists()

    def structure_errors(self) -> list[str]:
        """Why this framework cannot be used to rate yet; empty when complete."""
        levels = list(self.levels.all())
        domains = list(self.domains.prefetch_related("descriptors"))
        return structure_errors(
            [lv.score for lv in levels],
            [d.code for d in domains],
            {d.code: {desc.level_id for desc in d.descriptors.all()} for d in domains},
            {lv.pk: lv.score for lv in levels},
        )

    @property
    def max_score(self) -> int:
        return max((lv.score for lv in self.levels.all()), default=0)


def structure_errors(
    scores: list[int],
    codes: list[str],
    descriptor_level_ids: dict[str, set[int]],
    level_ids: dict[int, int],
) -> list[str]:
    errors: list[str] = []
    if not scores:
        errors.append("A framework needs at least one level.")
    elif sorted(scores) != list(range(len(scores))):
        errors.append(
            "Level scores must run 0, 1, 2, … without gaps or repeats; got "
            + ", ".join(str(s) for s in sorted(scores))
            + "."
        )
    if not codes:
        errors.append("A framework needs at least one domain.")
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            errors.append(f"Domain code {code} is used twice.")
        seen.add(code)
    for code in codes:
        missing = sorted(
            score for pk, score in level_ids.items() if pk not in descriptor_level_ids.get(code, set())
        )
        if missing:
            errors.append(
                f"Domain {code} has no descriptor for level"
                + ("s " if len(missing) > 1 else " ")
                + ", ".join(str(m) for m in missing)
                + "."
            )
    return errors


def _refuse_if_in_use(framework_ids: set[int], what: str, objs) -> None:
    """Levels, domains and descriptors of a framework in use hold recorded ratings."""
    if framework_ids and Workshop.objects.filter(framework_id__in=framework_ids).exists():
        raise models.ProtectedError(
            f"Cannot delete {what}: the framework is used by a workshop. Rewording is still possible.",
            set(objs),
        )


class FrameworkPartQuerySet(models.QuerySet):
    framework_path = "framework_id"

    def delete(self):
        _refuse_if_in_use(
            set(self.values_list(self.framework_path, flat=True)), self.model._meta.verbose_name_plural, self
        )
        return super().delete()


class DescriptorQuerySet(FrameworkPartQuerySet):
    framework_path = "domain__framework_id"


class FrameworkPart(models.Model):
    """Refuses deletion (one or in bulk) while any workshop uses the framework."""

    class Meta:
        abstract = True

    def framework_pk(self) -> int:
        return self.framework_id

    def delete(self, *args, **kwargs):
        _refuse_if_in_use({self.framework_pk()}, f"{self._meta.verbose_name} '{self}'", [self])
        return super().delete(*args, **kwargs)


class Level(FrameworkPart):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    score = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "score"]
        constraints = [models.UniqueConstraint(fields=["framework", "score"], name="level_unique_score")]

    def __str__(self) -> str:
        return f"{self.score} {self.label}"


class Domain(FrameworkPart):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=10, help_text="Unique within the framework, e.g. C1.")
    letter = models.CharField(max_length=2)
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=100)
    prompt = models.TextField(blank=True, help_text="The guiding question shown while rating.")

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="domain_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.short_title}"


class Descriptor(FrameworkPart):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="descriptors")
    text = models.TextField()

    objects = DescriptorQuerySet.as_manager()

    class Meta:
        ordering = ["domain", "level__score"]
        constraints = [models.UniqueConstraint(fields=["domain", "level"], name="descriptor_unique_cell")]

    def __str__(self) -> str:
        return f"{self.domain.code} level {self.level.score}"

    def framework_pk(self) -> int:
        return self.domain.framework_id

    def clean(self) -> None:
        if self.domain_id and self.level_id and self.domain.framework_id != self.level.framework_id:
            raise ValidationError("The descriptor's level must belong to the domain's framework.")


class Area(models.Model):
    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=100, blank=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_areas",
        help_text="CCG leads who may see this area's workshops.",
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assigned_areas",
        help_text="Facilitators who may create and run workshops in this area.",
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_assigned(self, user) -> bool:
        """May `user` act for this area: admin, assigned facilitator or one of its CCG leads."""
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        return self.facilitators.filter(pk=user.pk).exists() or self.leads.filter(pk=user.pk).exists()


class Programme(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_programmes",
        help_text="Programme leads who may see this programme's reports.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkshopQuerySet(models.QuerySet):
    def visible_to(self, user) -> WorkshopQuerySet:
        """Admins see all; facilitators their own; CCG leads their areas'."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        # Subqueries rather than joins: no row comes twice, so no DISTINCT over every column
        # (which made counting and sorting a list of 500 workshops several times slower).
        facilitated = Workshop.facilitators.through.objects.filter(user=user).values("workshop_id")
        led_areas = Area.leads.through.objects.filter(user=user).values("area_id")
        return self.filter(Q(pk__in=facilitated) | Q(area_id__in=led_areas))

    def facilitated_by(self, user) -> WorkshopQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(facilitators=user).distinct()

    def editable_by(self, user) -> WorkshopQuerySet:
        """Workshops whose details `user` may edit: facilitated by them in an area they are
        assigned to (admins: all). Facilitating alone is not enough, so a facilitator added to a
        workshop elsewhere can run it but not move it or pick its co-facilitators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            pk__in=Workshop.objects.filter(facilitators=user, area__facilitators=user).values("pk")
        )


class Workshop(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Live"
        CLOSED = "closed", "Closed"

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="workshops")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="workshops"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT)
    phase = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="1 for the baseline workshop, 2 for the first follow-up, and so on.",
    )
    title = models.CharField(max_length=200)
    date = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_workshops"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    join_code = models.CharField(max_length=12, unique=True, default=generate_join_code, editable=False)
    agreement_share = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text="Share of voters who must agree a level has been reached (1.00 = strict weakest link).",
    )
    auto_reveal = models.BooleanField(
        default=False, help_text="Reveal the votes automatically once everyone who joined has voted."
    )
    is_imported = models.BooleanField(
        default=False, help_text="Ratings imported from an earlier paper-based workshop."
    )
    # Live state, driven by the facilitator console.
    doors_open = models.BooleanField(
        default=False,
        editable=False,
        help_text="Lobby: phones may join before the start; voting stays closed until it opens.",
    )
    current_domain = models.ForeignKey(
        Domain, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state_version = models.PositiveIntegerField(
        default=0, help_text="Bumped on every live change so polls can answer 'nothing new' cheaply."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Rating before the day (the rules are in ratings/prerating.py).
    prerating_opened_at = models.DateTimeField(null=True, blank=True)
    prerating_closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Pre-workshop ratings are accepted until then (and never once live)."
    )

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "area", "phase"],
                name="workshop_unique_phase_in_programme",
                condition=Q(programme__isnull=False),
                violation_error_message="This area already has a workshop of that phase in the programme.",
            ),
            models.CheckConstraint(
                condition=Q(agreement_share__gt=0) & Q(agreement_share__lte=1),
                name="workshop_agreement_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.area}, {self.date:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("workshop_detail", args=[self.pk])

    is_follow_up = property(lambda self: self.phase > 1)

    @property
    def join_code_display(self) -> str:
        """Read-aloud form, e.g. 'ACD 479'."""
        half = len(self.join_code) // 2
        return f"{self.join_code[:half]} {self.join_code[half:]}"

    @property
    def agreement_in_words(self) -> str:
        return agreement_in_words(self.agreement_share)

    def is_facilitated_by(self, user) -> bool:
        return user.is_authenticated and (user.is_superuser or self.facilitators.filter(pk=user.pk).exists())

    def earlier_workshops(self) -> models.QuerySet[Workshop]:
        """Earlier-phase workshops of the same area (and programme if any), latest first."""
        qs = Workshop.objects.filter(area_id=self.area_id, phase__lt=self.phase)
        qs = qs.filter(programme_id=self.programme_id) if self.programme_id else qs
        return qs.order_by("-phase", "-date", "-pk")

    def previous_workshop(self) -> Workshop | None:
        """What a follow-up compares with: the latest earlier one with agreed levels (not a draft)."""
        return self.earlier_workshops().filter(consensuses__isnull=False).distinct().first()
