from django.http import Http404
from django.shortcuts import render

from . import selectors


def regions(request):
    return render(request, "geography/regions.html", {"regions": selectors.regions_with_areas()})


def region(request, slug):
    region = selectors.region_detail(slug).first()
    if region is None:
        raise Http404("No such region")
    return render(request, "geography/region.html", {"region": region})
