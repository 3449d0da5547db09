"""Query-string filters of list endpoints (django-filter)."""

import django_filters
from django.contrib.auth import get_user_model


class UserFilter(django_filters.FilterSet):
    """?email= (part of the address, any case), ?is_active=, ?is_staff=, ?email_verified=."""

    email = django_filters.CharFilter(lookup_expr="icontains", max_length=254)

    class Meta:
        model = get_user_model()
        fields = ["email", "is_active", "is_staff", "email_verified"]
