"""The admin's history pages (django-simple-history) naming people, and values by their labels.

simple_history shows who changed a record by their username, an empty foreign key as
"Deleted user (pk=None)" and choices by their stored values. Here a change names the person (their full
name; an erased account is "Deleted member"), a change nobody made (a periodic task, a command) says
"System", an empty value is a dash, choices read by their labels and booleans as Yes or No.
"""

from django.contrib.admin.utils import display_for_field, label_for_field, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from portal.common.people import person_name

EMPTY = "–"


def deleted_member():
    return gettext("Deleted member")


def changed_by(record):
    """Who made this version: a person's name, "Deleted member" for an account that is gone, or "System"."""
    if record.history_user_id is None:
        return gettext("System")
    try:
        user = record.history_user
    except ObjectDoesNotExist:
        user = None
    return person_name(user) if user is not None else deleted_member()


def shown_value(field, value):
    """A field's value as the admin shows it: a user by name, a choice by its label, a dash for nothing."""
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return EMPTY
        return deleted_member() if value.model is get_user_model() else str(value)
    if value is None or value == "":
        return EMPTY
    if isinstance(value, get_user_model()):
        return person_name(value)
    if isinstance(field, (models.ForeignKey, models.ManyToManyField)):
        return value
    if isinstance(field, models.BooleanField):
        # Words rather than the admin's icons: the Changes column shortens long values and escapes them.
        return gettext("Yes") if value else gettext("No")
    return display_for_field(value, field, EMPTY)


class PeopleRecordContextHelper(HistoricalRecordContextHelper):
    """The "Changes" column: each old and new value as shown_value gives it."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, list):
            return [shown_value(field, item) for item in value]
        return shown_value(field, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin with the history page above, and a 404 for an id that is no primary key.

    Its history_view looks the id up unchecked: /admin/.../xxxx/history/ or a NUL byte raised ValueError,
    a 500 (django-commons/django-simple-history#1108, open).
    """

    object_history_list_template = "admin/history_list.html"

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        columns = [label_for_field(name, self.model, self) for name in self.get_history_list_display(request)]
        extra_context = {"history_columns": columns, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def history_view_title(self, request, obj):
        # simple_history's own words, in the portal's catalogue (it has no Korean, Thai or Turkish).
        return gettext("View history: %s") % obj

    def get_historical_record_context_helper(self, request, historical_record):
        return PeopleRecordContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        names = self.get_history_list_display(request)
        for record in historical_records:
            record.changed_by = changed_by(record)
            record.history_cells = [self._history_cell(record, name) for name in names]

    def _history_cell(self, record, name):
        method = getattr(self, name, None)
        if callable(method):
            return getattr(record, name)  # simple_history set it from the admin's method
        try:
            field = record._meta.get_field(name)
        except FieldDoesNotExist:  # a property of the model
            return getattr(record, name, EMPTY)
        try:
            value = getattr(record, name)
        except ObjectDoesNotExist:
            value = DeletedObject(field.related_model, getattr(record, field.attname))
        return shown_value(field, value)
