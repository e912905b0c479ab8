"""The one error the report API raises for a report that could not be made."""


class ReportRenderError(Exception):
    """Rendering timed out or asked for a refused resource; the message is fit for a user."""
