"""DRF's limit/offset pages (count, next, previous, results; absolute links that keep the query).

The overrides exist only so a mutant can break the links; with none active they return DRF's own.
"""

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from flightsite import mutants

SEARCH_FILTERS = ("departure_airport", "arrival_airport", "earliest_departure", "latest_departure")


class FlightsayerPagination(LimitOffsetPagination):
    def get_next_link(self):
        link = super().get_next_link()
        if link and mutants.active("overlapping_pages"):
            link = replace_query_param(link, self.offset_query_param, self.offset + self.limit - 1)
        if link and mutants.active("next_drops_filters"):
            for name in SEARCH_FILTERS:
                link = remove_query_param(link, name)
        return link
