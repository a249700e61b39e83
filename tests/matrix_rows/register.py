"""Permission matrix rows for the register: the public register, its CSV, register entries, suspending, reinstating,
removing and withdrawing qualifications, and the yearly confirmation of details.

world.qualification is world.org's current (not suspended) qualification for women; world.suspended its suspended
one for emotional-wellbeing (see world.py). world.never_qualified has never been on the register.
"""


def rows(m) -> list:
    Row, url, attr, only, public = m.Row, m.url, m.attr, m.only, m.public
    managers = [m.FRAMEWORK_MANAGER]
    admins = [m.PROVIDER_ADMINISTRATOR]
    entry = url("qualification:register-entry", slug=attr("org.slug"))
    qualification = url("qualification:suspend", pk=attr("qualification.pk"))
    reinstate_suspended = url("qualification:reinstate", pk=attr("suspended.pk"))
    reinstate_current = url("qualification:reinstate", pk=attr("qualification.pk"))
    remove = url("qualification:remove", pk=attr("qualification.pk"))
    withdraw = url("qualification:withdraw-qualification", pk=attr("qualification.pk"))
    confirm = url("qualification:confirm-details")
    return [
        # The register and its CSV: public, GET only; a bad filter is shown on the page, a 400 for the CSV
        Row("qualification:register", "GET", "/framework/register/", public()),
        Row(
            "qualification:register",
            "GET",
            "/framework/register/?category=nothing&region=Z&size_band=huge&page=zz",
            public(),
            variant="bad filter",
        ),
        Row(
            "qualification:register",
            "GET",
            "/framework/register/?category=women&pcc_area=durham",
            public(),
            variant="filtered",
        ),
        Row("qualification:register", "POST", "/framework/register/", public(405), data={}),
        Row("qualification:register-csv", "GET", "/framework/register.csv", public()),
        Row("qualification:register-csv", "GET", "/framework/register.csv?region=Z", public(400), variant="bad filter"),
        Row("qualification:register-csv", "POST", "/framework/register.csv", public(405), data={}),
        # One organisation's entry: public; 404 for an unknown slug and for an organisation never qualified
        Row("qualification:register-entry", "GET", entry, public()),
        Row(
            "qualification:register-entry",
            "GET",
            url("qualification:register-entry", slug=attr("never_qualified.slug")),
            public(404),
            variant="never qualified",
        ),
        Row(
            "qualification:register-entry", "GET", "/framework/register/nobody-at-all/", public(404), variant="unknown"
        ),
        Row("qualification:register-entry", "POST", entry, public(405), data={}),
        # Suspend, reinstate, remove: framework managers only
        Row("qualification:suspend", "GET", qualification, only(managers)),
        Row("qualification:suspend", "POST", qualification, only(managers), variant="empty form", data={}),
        Row(
            "qualification:suspend",
            "POST",
            qualification,
            only(managers, allowed=m.redirect(entry)),
            variant="with a reason",
            data={"reason": "Insurance has lapsed."},
        ),
        Row(
            "qualification:suspend",
            "POST",
            url("qualification:suspend", pk=attr("suspended.pk")),
            only(managers),
            variant="already suspended",
            data={"reason": "Again."},
        ),
        Row(
            "qualification:suspend",
            "GET",
            "/framework/register/qualifications/999999/suspend/",
            only([], denied=404),
            variant="unknown",
        ),
        Row("qualification:reinstate", "GET", reinstate_suspended, only(managers)),
        Row("qualification:reinstate", "GET", reinstate_current, only(managers), variant="not suspended"),
        Row("qualification:reinstate", "POST", reinstate_suspended, only(managers), variant="empty form", data={}),
        Row(
            "qualification:reinstate",
            "POST",
            reinstate_suspended,
            only(managers, allowed=m.redirect(entry)),
            variant="with a note",
            data={"note": "The new certificate arrived."},
        ),
        Row(
            "qualification:reinstate",
            "POST",
            reinstate_current,
            only(managers),
            variant="not suspended",
            data={"note": "Nothing to lift."},
        ),
        Row("qualification:remove", "GET", remove, only(managers)),
        Row("qualification:remove", "POST", remove, only(managers), variant="empty form", data={}),
        Row(
            "qualification:remove",
            "POST",
            remove,
            only(managers, allowed=m.redirect(entry)),
            variant="with a reason",
            data={"reason": "Ceased trading."},
        ),
        Row(
            "qualification:remove",
            "GET",
            "/framework/register/qualifications/999999/remove/",
            only([], denied=404),
            variant="unknown",
        ),
        # Withdraw from a category: the organisation's provider administrators only (not its staff)
        Row("qualification:withdraw-qualification", "GET", withdraw, only(admins)),
        Row("qualification:withdraw-qualification", "POST", withdraw, only(admins), variant="empty form", data={}),
        Row(
            "qualification:withdraw-qualification",
            "POST",
            withdraw,
            only(admins, allowed=m.redirect(entry)),
            variant="with a reason",
            data={"reason": "We no longer run this service."},
        ),
        Row(
            "qualification:withdraw-qualification",
            "GET",
            "/framework/register/qualifications/999999/withdraw/",
            only([], denied=404),
            variant="unknown",
        ),
        # Confirm your details: provider administrators of a qualified organisation
        Row("qualification:confirm-details", "GET", confirm, only(admins)),
        Row(
            "qualification:confirm-details",
            "GET",
            lambda w: f"/framework/confirm-your-details/?organisation={w.org.slug}",
            only(admins),
            variant="organisation chosen",
        ),
        Row(
            "qualification:confirm-details",
            "GET",
            lambda w: f"/framework/confirm-your-details/?organisation={w.other_org.slug}",
            only([]),
            variant="another organisation",
        ),
        Row(
            "qualification:confirm-details",
            "GET",
            "/framework/confirm-your-details/?organisation=nobody-at-all",
            only([], denied=404),
            variant="unknown organisation",
        ),
        Row("qualification:confirm-details", "POST", confirm, only(admins), variant="empty form", data={}),
        Row(
            "qualification:confirm-details",
            "POST",
            confirm,
            only(admins, allowed=m.redirect(entry)),
            variant="still accurate",
            data={"outcome": "still_accurate"},
        ),
        Row(
            "qualification:confirm-details",
            "POST",
            confirm,
            only(admins, allowed=m.redirect(url("organisations:edit", slug=attr("org.slug")))),
            variant="needs updating",
            data={"outcome": "update"},
        ),
    ]
