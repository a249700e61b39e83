"""Links for govukPagination that keep the page's filters: `page_links(request, page, label=_("Pages of results"))`.

Shows the first and last pages, the current one and its neighbours, with ellipses between.
"""

from django.utils.translation import gettext as _


def page_links(request, page, *, label: str | None = None) -> dict | None:
    """Parameters for govukPagination, or None when everything fits on one page."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    params = request.GET.copy()

    def href(number):
        params["page"] = number
        return "?" + params.urlencode()

    shown = sorted({1, paginator.num_pages, page.number - 1, page.number, page.number + 1} & set(paginator.page_range))
    items, last = [], 0
    for number in shown:
        if number - last > 1:
            items.append({"ellipsis": True})
        items.append(
            {
                "number": number,
                "href": href(number),
                "current": number == page.number,
                "visuallyHiddenText": _("Page %(number)s") % {"number": number},
            }
        )
        last = number
    return {
        "items": items,
        "previous": {"href": href(page.previous_page_number())} if page.has_previous() else None,
        "next": {"href": href(page.next_page_number())} if page.has_next() else None,
        "landmarkLabel": label or _("Pages of results"),
    }
