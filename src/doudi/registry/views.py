"""Caseworker screens for the registry (placeholder until the registry UI lands)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def household_list(request):
    return HttpResponse("家庭台账")


@login_required
def household_detail(request, pk: int):
    return HttpResponse("家庭")
