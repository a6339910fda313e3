"""QuerySet behaviour shared by the searchable directories (companies, demand listings)."""

from django.db import models

from matching.search import query_terms


class TextSearchQuerySet(models.QuerySet):
    """For models with a `search_text` column holding matching.search.search_document output."""

    def matching_text(self, query):
        """Rows whose search text contains every word of the query (an empty query matches all)."""
        queryset = self
        for term in query_terms(query):
            queryset = queryset.filter(search_text__contains=term)
        return queryset


def search_text_store(instance, text):
    """Write a rebuilt search text, only when it changed (so re-running a seed writes nothing)."""
    if text != instance.search_text:
        type(instance).objects.filter(pk=instance.pk).update(search_text=text)
        instance.search_text = text
