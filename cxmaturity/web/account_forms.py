"""The forms of the account pages: a new password (reset, claim) and a new account (claim)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from cxmaturity.services.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from cxmaturity.web.forms import TEXT, text_rule

PASSWORD_RULES = [
    DataRequired(_l("Please choose a password.")),
    Length(
        min=MIN_PASSWORD_LENGTH,
        max=MAX_PASSWORD_LENGTH,
        message=_l(
            "Please choose a password of %(min)d to %(max)d characters.",
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
        ),
    ),
]


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Please enter your e-mail address.")), Length(max=320)],
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=PASSWORD_RULES,
        description=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Please enter the password a second time.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )


class ClaimForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Please enter your name.")), Length(max=200), text_rule()],
        **TEXT,
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Please enter your e-mail address.")), Length(max=320)],
    )
    password = PasswordField(
        _l("Password"),
        validators=PASSWORD_RULES,
        description=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
    )
