"""Language choice: German or English, chosen by the user and remembered.

Precedence: the language the user picked (a cookie) > the language of the
assessment being taken > the browser's Accept-Language > English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import flask_babel
from babel import Locale
from babel.support import NullTranslations
from flask import Blueprint, Flask, g, redirect, request
from flask_babel import Babel, get_locale, get_translations
from markupsafe import Markup

from cxmaturity.locale import LANGUAGE_NAMES
from cxmaturity.locale import LANGUAGES as SUPPORTED_LANGUAGES

COOKIE = "cxm_lang"
ONE_YEAR = 365 * 24 * 3600

LOCALES = {code: Locale.parse(code) for code in SUPPORTED_LANGUAGES}

blueprint = Blueprint("i18n", __name__)


def select_language() -> Locale:
    """The request's locale; parsed once per language, not once per request."""
    return LOCALES[_selected_language()]


def _selected_language() -> str:
    chosen = request.cookies.get(COOKIE)
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    assessment_language = g.get("assessment_language")
    if assessment_language in SUPPORTED_LANGUAGES:
        return assessment_language
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or "en"


def current_language() -> str:
    return _request_language().code


@dataclass(frozen=True)
class _RequestLanguage:
    code: str
    translations: NullTranslations


# The request's language and its translations, found once per request and kept on `g`:
# a dimension page asks for them some thirty times, and each of Flask-Babel's own
# lookups goes through several context proxies. `force_locale` below drops them while
# it lasts.
_ON_G = "cxm_language"


def _request_language() -> _RequestLanguage:
    found = g.get(_ON_G)
    if found is None:
        found = _RequestLanguage(str(get_locale() or "en"), get_translations())
        setattr(g, _ON_G, found)
    return found


@contextmanager
def force_locale(language: str) -> Iterator[None]:
    """Flask-Babel's `force_locale`, which the templates' gettext follows as well."""
    outside = g.pop(_ON_G, None)
    try:
        with flask_babel.force_locale(language):  # noqa: TID251 - this is the wrapper
            yield
    finally:
        g.pop(_ON_G, None)
        if outside is not None:
            setattr(g, _ON_G, outside)


# The templates' `_`, `gettext` and `ngettext`, as Jinja's newstyle gettext
# (autoescaped, the message always %-formatted with the variables), but with the
# request's translations looked up once. They read the request, not the template
# context, so imported macro modules (cached by Jinja) follow each request's language.
def template_gettext(string: str, **variables) -> Markup:
    translated = _request_language().translations.ugettext(string)
    if not variables and "%" not in translated:
        return Markup(translated)  # nothing to format: the escaping formatter is skipped
    return Markup(translated) % variables


def template_ngettext(singular: str, plural: str, number: int, **variables) -> Markup:
    variables.setdefault("num", number)
    return Markup(_request_language().translations.ungettext(singular, plural, number)) % variables


def remember_language(response, language: str):
    response.set_cookie(
        COOKIE,
        language,
        max_age=ONE_YEAR,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response


def safe_next(target: str | None) -> str:
    """A local path to go back to; anything else (other hosts, //x, /\tx) goes home."""
    if not target or any(
        character.isspace() or not character.isprintable() for character in target
    ):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:
        return "/"
    return target


@blueprint.get("/language/<language>")
def switch_language(language: str):
    if language not in SUPPORTED_LANGUAGES:
        language = "en"
    return remember_language(redirect(safe_next(request.args.get("next"))), language)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_language)
    app.register_blueprint(blueprint)
    app.jinja_env.globals.update(
        _=template_gettext,
        gettext=template_gettext,
        ngettext=template_ngettext,
        current_language=current_language,
        language_names=LANGUAGE_NAMES,
        supported_languages=SUPPORTED_LANGUAGES,
    )
