"""QuerySet behaviour shared by the searchable directories (companies, demand listings)."""

from functools import reduce
from operator import and_, or_

from django.db import models
from django.db.models import Q

from matching.search import query_groups, search_document_reindex


class TextSearchQuerySet(models.QuerySet):
    """For models with a `search_text` column holding matching.search.search_document output."""

    def matching_text(self, query, thesaurus=True):
        """Rows whose search text matches every word of the query (an empty query matches all).

        With the thesaurus (matching.search.query_groups), a word that names a concept also matches the
        concept's token, so 'sel' finds a listing about floods written in English; `thesaurus=False` is
        the search as it was before (bench/search_recall.py compares the two).
        """
        queryset = self
        for group in query_groups(query, thesaurus=thesaurus):
            conditions = [
                reduce(and_, (Q(search_text__contains=part) for part in alternative))
                for alternative in group.alternatives
            ]
            conditions += [Q(search_text__contains=each) for each in group.tokens()]
            queryset = queryset.filter(reduce(or_, conditions))
        return queryset


def search_text_store(instance, text):
    """Write a rebuilt search text, only when it changed (so re-running a seed writes nothing)."""
    if text != instance.search_text:
        type(instance).objects.filter(pk=instance.pk).update(search_text=text)
        instance.search_text = text


def search_text_reindex_all(model, batch_size=500):
    """Rebuild the concept line of every row's search text for the current thesaurus (a data migration
    calls it after the thesaurus changes; matching.search.search_document_reindex). Returns rows changed."""
    changed = []
    for row in model.objects.only("pk", "search_text").iterator(chunk_size=batch_size):
        text = search_document_reindex(row.search_text)
        if text != row.search_text:
            row.search_text = text
            changed.append(row)
    model.objects.bulk_update(changed, ["search_text"], batch_size=batch_size)
    return len(changed)
