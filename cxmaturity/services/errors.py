"""Errors any service may raise, for callers that must not know the store."""

from cxmaturity.domain.access import Forbidden, NotVisible
from cxmaturity.store.faults import StorageUnavailable

__all__ = ["Forbidden", "InvalidInput", "NotVisible", "StorageUnavailable"]


class InvalidInput(ValueError):
    """An input the rules refuse: `field` names it, the message says why.

    Services check every input themselves: the API and imports call them
    without a form in front.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
