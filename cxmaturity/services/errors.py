"""Errors any service may raise, for callers that must not know the store."""

from cxmaturity.store.faults import StorageUnavailable

__all__ = ["StorageUnavailable"]
