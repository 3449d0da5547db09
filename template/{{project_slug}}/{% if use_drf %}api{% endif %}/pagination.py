"""Pagination of list endpoints: ?page=N, and ?page_size=N up to a maximum."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """PAGE_SIZE items a page by default; a client may ask for up to max_page_size."""

    page_size_query_param = "page_size"
    max_page_size = 100
