"""Rapport's pages plus /slow/, which answers after 2 seconds (tests/test_serve.py)."""

import time

from django.http import HttpResponse
from django.urls import path

from rapport.urls import urlpatterns as rapport_urls


def slow(request):
    time.sleep(2)
    return HttpResponse("finished")


urlpatterns = [*rapport_urls, path("slow/", slow)]
