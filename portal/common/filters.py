"""What the public directories' filter sets share: the free-text search box and its folding, and widgets
that draw the filter form cheaply (templates/includes/filter_form.html)."""

import django_filters
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

SEARCH_MAX_LENGTH = 200


def _attributes(attrs):
    """What django/forms/widgets/attrs.html writes: in order, a True value as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class _MarkedInvalid:
    """Bootstrap's "is-invalid" on a field with errors (Django marks its widget aria-invalid), as crispy
    forms adds it; the widget's other classes are set once by DirectoryFilterSet."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        if attrs.get("aria-invalid") == "true":
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".lstrip()
        return context


class TextInput(_MarkedInvalid, forms.TextInput):
    pass


class Select(_MarkedInvalid, forms.Select):
    """Django's Select with the same HTML, its options written here rather than through templates.

    Django renders every <option> through two templates (select_option.html and attrs.html): with some 50
    cities, categories, countries and bands, they were most of the filter form's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        # The whitespace of django/forms/widgets/select.html and select_option.html (the renderer strips the
        # whole, not the options).
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _attributes(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append(SafeString("\n  </optgroup>"))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


# Django's widget -> ours, and the classes crispy forms' Bootstrap 5 pack would give it.
WIDGETS = {forms.TextInput: TextInput, forms.Select: Select}
BOOTSTRAP_CLASSES = {TextInput: "textinput form-control", Select: "select form-select"}


class DirectoryFilterSet(django_filters.FilterSet):
    """A FilterSet with `q`, matched by the model QuerySet's `matching_text` (matching.querysets), whose
    fields are drawn by templates/includes/filter_form.html: text boxes and selects only."""

    search_placeholder = ""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=SEARCH_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for each in self.filters.values():
            if "widget" not in each.extra and each.field_class.widget in WIDGETS:
                each.extra["widget"] = WIDGETS[each.field_class.widget]
        self.filters["q"].field.widget.attrs["placeholder"] = self.search_placeholder
        for each in self.filters.values():
            widget = each.field.widget
            if type(widget) in BOOTSTRAP_CLASSES:
                widget.attrs["class"] = BOOTSTRAP_CLASSES[type(widget)]

    def search(self, queryset, name, value):
        return queryset.matching_text(value)
