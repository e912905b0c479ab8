"""Pages for what the server lacks, not the visitor: a database fault, a removed questionnaire.

A fault of the database answers 503 "not saved, try again" (DESIGN §11); an
assessment whose questionnaire version was removed answers 503 with a page
naming the file the operator must restore (DESIGN §2); input that a service
refused although no form stood in front (a script, a tampered form) answers 400.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _

from cxmaturity.domain.loader import QuestionnaireMissing
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible, StorageUnavailable

# A fault that lasts (a full disk) is fixed by an operator; most pass in seconds.
RETRY_AFTER_SECONDS = 10


def not_saved_message() -> str:
    return _("Not saved: the database is not available just now. Please try again in a moment.")


def storage_unavailable(error: StorageUnavailable):
    current_app.logger.warning(
        "database unavailable on %s %s: %s", request.method, request.path, error
    )
    if request.path.endswith("/autosave"):
        response = jsonify(saved=False, message=_("Not saved. Please try again."))
    else:
        if request.method in ("GET", "HEAD"):
            message = _(
                "This page cannot be shown just now: the database is not available. "
                "Nothing was changed. Please try again in a moment."
            )
        else:
            message = not_saved_message()
        response = current_app.make_response(
            render_template("error.html", code=503, message=message)
        )
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def questionnaire_missing(error: QuestionnaireMissing):
    folder = current_app.config["QUESTIONNAIRES_DIR"]
    current_app.logger.error(
        "%s on %s %s: restore its file into %s", error, request.method, request.path, folder
    )
    message = _(
        "This assessment was answered with the questionnaire “%(id)s”, version %(version)s, "
        "which this server no longer has. The saved answers are safe. Please ask the "
        "operator to put the file of “%(id)s” version %(version)s back into the "
        "questionnaires folder.",
        id=error.questionnaire_id,
        version=error.version or "?",
    )
    if request.path.endswith("/autosave"):
        response = jsonify(saved=False, message=message)
    else:
        response = current_app.make_response(
            render_template("error.html", code=503, message=message)
        )
    response.status_code = 503
    return response


def invalid_input(error: InvalidInput):
    # Forms check the same rules first, with a message beside the field; this
    # is the answer to a request that bypassed them (a script, a tampered form).
    message = _("The data sent was not valid. Nothing was saved. Please go back and try again.")
    if request.path.endswith("/autosave"):
        return jsonify(saved=False, message=message), 400
    return render_template("error.html", code=400, message=message), 400


def not_visible(error: NotVisible):
    # The same page as an unknown address: nothing tells that the object exists.
    message = _("This page does not exist, or you have no access to it.")
    return render_template("error.html", code=404, message=message), 404


def forbidden(error: Forbidden):
    message = _(
        "Your role in this workspace lets you read this, not change it. Nothing was changed."
    )
    return render_template("error.html", code=403, message=message), 403


def init_app(app: Flask) -> None:
    app.register_error_handler(NotVisible, not_visible)
    app.register_error_handler(Forbidden, forbidden)
    app.register_error_handler(InvalidInput, invalid_input)
    app.register_error_handler(StorageUnavailable, storage_unavailable)
    app.register_error_handler(QuestionnaireMissing, questionnaire_missing)
