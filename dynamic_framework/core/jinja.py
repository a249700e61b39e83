"""The Jinja2 environment: GOV.UK Frontend macros, URL and static helpers, i18n, money and UK time."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from . import forms_rendering, money, time


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    base_loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [base_loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    )
    options.setdefault("extensions", [])
    options["extensions"] = [*options["extensions"], "jinja2.ext.i18n", "jinja2.ext.do"]
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(**options)  # noqa: S701 - autoescape is set by the Django backend
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "get_language": get_language,
            "LANGUAGES": settings.LANGUAGES,
            "field_params": forms_rendering.field_params,
            "error_list": forms_rendering.error_list,
            "SERVICE_NAME": "Dynamic Framework",
        }
    )
    env.filters.update(
        {
            "money": money.format_pence,
            "money_short": money.format_pence_short,
            "uk_datetime": time.format_uk_datetime,
            "uk_date": time.format_uk_date,
        }
    )
    return env
