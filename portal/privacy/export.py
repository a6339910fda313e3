"""Everything the portal holds about one member, for them to download (JSON) or read (an HTML page).

The rows are found through every foreign key to the user model (the admin's log, invitations, listings,
meeting requests, outcomes and their history, messages, ...), so a model added later that points at a
person is in the export without a line here; its fields are written as they are stored, related rows by
their names. Login records (django-axes) are found by username. Passwords, tokens and session keys are
never written.
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.privacy import selectors

HIDDEN = ("password", "token", "secret", "session")
# Covered by their own section (consents), or Django's bookkeeping of permissions.
NOT_EXPORTED = {
    "privacy.consent",
    "privacy.historicaldeletionrequest",
    "accounts.user_groups",
    "accounts.user_user_permissions",
}
ACCOUNT_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "language",
    "time_zone",
    "buddhist_era",
    "meeting_reminders",
    "is_active",
    "date_joined",
    "last_login",
    "matches_seen_at",
]
LOGIN_RECORDS = [
    ("axes.accesslog", ["attempt_time", "logout_time", "ip_address", "user_agent", "path_info"]),
    ("axes.accessfailurelog", ["attempt_time", "ip_address", "user_agent", "path_info", "locked_out"]),
]
# django-axes has no Korean, Thai or Turkish catalogue: its records are titled in our words.
LOGIN_TITLES = {"axes.accesslog": _("Logins"), "axes.accessfailurelog": _("Failed logins")}
AXES_UNKNOWN = "<unknown>"
LOGIN_COLUMNS = {
    "attempt_time": _("Time"),
    "logout_time": _("Logged out"),
    "ip_address": _("IP address"),
    "user_agent": _("Browser"),
    "path_info": _("Page"),
    "locked_out": _("Locked out"),
}


@dataclass
class Section:
    """One kind of record: its key in the JSON, its title on the page, its columns and rows."""

    key: str
    title: str
    columns: list = field(default_factory=list)  # [(name, label)]
    rows: list = field(default_factory=list)  # [[value, ...]] in the columns' order

    def as_json(self):
        names = [name for name, _label in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]


def _plain(value):
    """A value JSON can hold, as a person reads it."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class _Writer:
    """Writes rows field by field; a related row is named once however many rows point at it."""

    def __init__(self):
        self.names = {}

    def value(self, obj, model_field):
        if model_field.is_relation:
            related_id = getattr(obj, model_field.attname)
            if related_id is None:
                return None
            key = (model_field.related_model, related_id)
            if key not in self.names:
                related = getattr(obj, model_field.name, None)
                self.names[key] = str(related) if related is not None else str(related_id)
            return self.names[key]
        if model_field.choices:
            return str(getattr(obj, f"get_{model_field.name}_display")())
        return _plain(model_field.value_from_object(obj))

    def section(self, key, title, model, queryset, names=None):
        fields = [model._meta.get_field(name) for name in names] if names else _exported_fields(model)
        columns = [(f.name, str(f.verbose_name)) for f in fields]
        rows = [[self.value(obj, f) for f in fields] for obj in queryset]
        return Section(key=key, title=title, columns=columns, rows=rows)


def _exported_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if not any(word in f.name for word in HIDDEN) and not f.primary_key
    ]


def user_relations():
    """Every (model, foreign key) pointing at the user model whose rows are exported."""
    relations = []
    for relation in get_user_model()._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if relation.related_model._meta.label_lower in NOT_EXPORTED:
            continue
        relations.append((relation.related_model, relation.field))
    return sorted(relations, key=lambda pair: (pair[0]._meta.label_lower, pair[1].name))


def _consents(user):
    section = Section(
        key="consents",
        title=str(_("Consents")),
        columns=[
            ("consent", str(_("consent"))),
            ("given", str(_("given"))),
            ("law", str(_("law"))),
            ("notice_version", str(_("notice version"))),
            ("notice_language", str(_("language"))),
            ("when", str(_("when"))),
            ("where", str(_("where"))),
            ("notice_text", str(_("text shown"))),
        ],
    )
    for row in selectors.consent_rows(user):
        for record in reversed(row.records):
            section.rows.append(
                [
                    str(row.label),
                    record.granted,
                    record.get_law_display(),
                    record.notice.version,
                    record.notice.language,
                    _plain(record.recorded_at),
                    record.get_source_display(),
                    record.notice.text,
                ]
            )
    return section


def personal_data(user):
    """[Section] of everything held about `user`, the account first; sections without rows left out."""
    from django.apps import apps  # the models of every app, read when asked

    writer = _Writer()
    user_model = get_user_model()
    account = writer.section("account", str(_("Your account")), user_model, [user], names=ACCOUNT_FIELDS)
    organisation = user.organisation
    account.columns.append(("organisation", str(_("organisation"))))
    account.rows[0].append(str(organisation) if organisation is not None else None)
    sections = [account, _consents(user)]
    for model, foreign_key in user_relations():
        fields = [f for f in _exported_fields(model) if f.name != foreign_key.name]
        queryset = model._default_manager.filter(**{foreign_key.name: user}).order_by("pk")
        title = f"{model._meta.verbose_name_plural} ({foreign_key.verbose_name})"
        sections.append(
            writer.section(
                f"{model._meta.label_lower}.{foreign_key.name}",
                title,
                model,
                queryset,
                names=[f.name for f in fields],
            )
        )
    for label, names in LOGIN_RECORDS:
        model = apps.get_model(label)
        queryset = model._default_manager.filter(username=user.get_username()).order_by("pk")
        section = writer.section(label, str(LOGIN_TITLES[label]), model, queryset, names)
        section.columns = [(name, str(LOGIN_COLUMNS[name])) for name, _title in section.columns]
        # axes writes "<unknown>" where a request had no user agent or path: nothing is known, say nothing.
        section.rows = [[None if value == AXES_UNKNOWN else value for value in row] for row in section.rows]
        sections.append(section)
    return [section for section in sections if section.rows]


def personal_data_json(user):
    """personal_data as one JSON-ready dict: {section key: [row as {column: value}]}."""
    sections = {section.key: section.as_json() for section in personal_data(user)}
    sections["account"] = sections["account"][0]
    return {"exported_at": _plain(timezone.now()), **sections}
