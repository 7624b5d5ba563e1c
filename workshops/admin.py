from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model

from .models import (
    CCG_LEADS_GROUP,
    FACILITATORS_GROUP,
    Area,
    Descriptor,
    Domain,
    Framework,
    Level,
    Outbox,
    Programme,
    Workshop,
)


class LevelFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        scores = [
            f.cleaned_data["score"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and "score" in f.cleaned_data
        ]
        if scores and sorted(scores) != list(range(len(scores))):
            raise forms.ValidationError(
                "Level scores must run 0, 1, 2, … without gaps or repeats; got "
                + ", ".join(str(s) for s in sorted(scores))
                + "."
            )


class _ProtectedPartInline(admin.TabularInline):
    """Parts of a framework in use may be reworded but not removed or renumbered."""

    locked_fields: tuple[str, ...] = ()

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_in_use():
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_in_use():
            return self.locked_fields
        return ()


class LevelInline(_ProtectedPartInline):
    model = Level
    formset = LevelFormSet
    extra = 0
    locked_fields = ("score",)


class DomainInline(_ProtectedPartInline):
    model = Domain
    extra = 0
    fields = ("position", "code", "letter", "short_title", "title")
    locked_fields = ("code",)
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("name", "edition", "is_default", "domain_count", "in_use")
    list_filter = ("is_default",)
    search_fields = ("name", "edition", "source")
    inlines = [LevelInline, DomainInline]

    @admin.display(description="Domains")
    def domain_count(self, obj: Framework) -> int:
        return obj.domains.count()

    @admin.display(boolean=True, description="In use")
    def in_use(self, obj: Framework) -> bool:
        return obj.is_in_use()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        framework = self.get_object(request, object_id)
        if framework is not None and request.method == "GET":
            for error in framework.structure_errors():
                messages.warning(request, f"Incomplete: {error}")
        return super().change_view(request, object_id, form_url, extra_context)


class DescriptorFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        domain: Domain = self.instance
        if not domain.framework_id:
            return
        chosen = []
        for f in self.forms:
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("level"):
                level = f.cleaned_data["level"]
                if level.framework_id != domain.framework_id:
                    raise forms.ValidationError(f"Level {level} belongs to another framework.")
                chosen.append(level.score)
        repeated = sorted({s for s in chosen if chosen.count(s) > 1})
        if repeated:
            raise forms.ValidationError(f"Only one descriptor per level: level {repeated[0]} repeated.")
        missing = sorted(set(domain.framework.levels.values_list("score", flat=True)) - set(chosen))
        if missing:
            raise forms.ValidationError(
                "Every level needs a descriptor; missing level " + ", ".join(str(m) for m in missing) + "."
            )


class DescriptorInline(admin.TabularInline):
    model = Descriptor
    formset = DescriptorFormSet
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "level":
            domain_id = request.resolver_match.kwargs.get("object_id")
            if domain_id:
                kwargs["queryset"] = Level.objects.filter(framework__domains__pk=domain_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.framework.is_in_use():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("code", "short_title", "framework", "position")
    list_filter = ("framework",)
    search_fields = ("code", "title", "short_title", "prompt")
    inlines = [DescriptorInline]

    def get_readonly_fields(self, request, obj=None):
        return ("framework", "code") if obj is not None and obj.framework.is_in_use() else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.framework.is_in_use():
            return False
        return super().has_delete_permission(request, obj)


def group_members(name: str):
    """Active users of one group: the only people a role picker offers."""
    return (
        get_user_model()
        .objects.filter(groups__name=name, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def user_label(user, areas=()) -> str:
    """ "Full Name (username) · Area, Area": an admin tells two Sams apart by name and area."""
    full = user.get_full_name().strip()
    label = f"{full} ({user.username})" if full else user.username
    names = sorted(a.name for a in areas)
    return f"{label} · {', '.join(names)}" if names else label


class UserPickerField(forms.ModelMultipleChoiceField):
    """Users as labelled checkboxes (Django's filter widget fails axe's aria-prohibited-attr),
    each with the areas it already holds that role in (`areas_attr`, prefetched)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, *, areas_attr: str = "", **kwargs) -> None:
        self.areas_attr = areas_attr
        if areas_attr:
            queryset = queryset.prefetch_related(areas_attr)
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj) -> str:
        areas = getattr(obj, self.areas_attr).all() if self.areas_attr else ()
        return user_label(obj, areas)


# Which areas a picker's label names: those the user already leads or is assigned to.
AREAS_OF_ROLE = {CCG_LEADS_GROUP: "led_areas", FACILITATORS_GROUP: "assigned_areas"}


class RolePickerMixin:
    """Each many-to-many user picker lists only the users who hold that role."""

    role_pickers: dict[str, str] = {}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.role_pickers:
            role = self.role_pickers[db_field.name]
            kwargs["queryset"] = group_members(role)
            kwargs["form_class"] = UserPickerField
            kwargs["areas_attr"] = AREAS_OF_ROLE[role]
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Area)
class AreaAdmin(RolePickerMixin, admin.ModelAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    search_fields = ("code", "name", "region")
    role_pickers = {"leads": CCG_LEADS_GROUP, "facilitators": FACILITATORS_GROUP}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name", "description")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Programme reports are open to staff users named as leads (reports.views), so only
        # staff users are offered.
        if db_field.name == "leads":
            users = get_user_model().objects.filter(is_staff=True, is_active=True)
            kwargs["queryset"] = users.order_by("first_name", "last_name", "username")
            kwargs["form_class"] = UserPickerField
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Workshop)
class WorkshopAdmin(RolePickerMixin, admin.ModelAdmin):
    role_pickers = {"facilitators": FACILITATORS_GROUP}
    list_display = ("title", "area", "programme", "phase", "date", "status", "join_code", "is_imported")
    list_filter = ("status", "programme", "phase", "is_imported", "area__region")
    search_fields = ("title", "area__name", "area__code", "venue", "join_code")
    date_hierarchy = "date"
    # The live state (screen position, poll version, lobby) belongs to the console, not the form.
    exclude = ("current_domain", "state_version", "doors_open")
    readonly_fields = (
        "join_code",
        "created_by",
        "created_at",
        "updated_at",
        "started_at",
        "closed_at",
    )
    list_select_related = ("area", "programme")

    def get_actions(self, request):
        """Actions other apps add through an app-config hook (e.g. ratings: anonymise
        participants), so this app never imports theirs."""
        actions = super().get_actions(request)
        for config in apps.get_app_configs():
            hook = getattr(config, "workshop_admin_actions", None)
            for action in hook() if hook else []:
                actions[action.__name__] = self.get_action(action)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        """A workshop that has started holds a record (votes, agreed levels, history): it stays."""
        if obj is not None and (obj.status != Workshop.Status.DRAFT or obj.is_imported):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    """What was queued and sent (send_reminders sends; bodies are blanked once sent)."""

    list_display = ("kind", "to_email", "subject", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("kind", "sent_at")
    search_fields = ("to_email", "subject", "key")
    readonly_fields = [f.name for f in Outbox._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
