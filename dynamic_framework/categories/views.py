from django.http import Http404
from django.shortcuts import render

from . import selectors


def category_list(request):
    return render(request, "categories/list.html", {"categories": selectors.framework_categories()})


def category_detail(request, slug):
    category = selectors.framework_category_detail(slug).first()
    if category is None:
        raise Http404("No such service category")
    return render(request, "categories/detail.html", {"category": category})
