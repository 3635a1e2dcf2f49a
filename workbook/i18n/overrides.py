"""The engagement's own labels of data values (engagement.yaml's ``labels:``), in force while
its reports are built.

:func:`workbook.i18n.pretty` and :func:`workbook.i18n.stage_label` are called everywhere with a
value and a language only; they ask :func:`override_label` first, which reads the labels in
force from a :class:`contextvars.ContextVar`:

- :func:`use_labels` puts an engagement's labels in force for a ``with`` block (the Excel key
  tables of a run), and restores what was in force before, even on error;
- :func:`set_labels` puts them in force for the rest of the current context: a phase
  notebook's kernel, which reports on one engagement (:func:`workbook.deliverables.notebook.start`).

A context variable belongs to its thread (and asyncio task): engagements reported on in
threads of one process (a batch on a Dask worker) never see each other's labels.

Examples
--------
>>> from workbook.i18n import pretty
>>> with use_labels({"webinar": {"en": "Web seminar"}}):
...     pretty("webinar"), pretty("webinar", "fr")
('Web seminar', 'Webinaire')
>>> pretty("webinar")
'Webinar'
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

#: Value key -> language -> label.
Labels = Mapping[str, Mapping[str, str]]

_NO_LABELS: Labels = MappingProxyType({})
_LABELS: contextvars.ContextVar[Labels] = contextvars.ContextVar(
    "workbook_labels", default=_NO_LABELS
)


def _frozen(labels: Labels | None) -> Labels:
    """A read-only copy of ``labels``: changing the caller's mapping later changes nothing."""
    return MappingProxyType(
        {str(value): MappingProxyType(dict(texts)) for value, texts in (labels or {}).items()}
    )


def _value_key(name: str) -> str:
    """``name`` as engagement.yaml's names and the data's values are compared
    (``" Partner Referral "`` -> ``partner_referral``), as the intake layer's
    ``normalise_key`` writes them."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def set_labels(labels: Labels | None) -> contextvars.Token[Labels]:
    """Put ``labels`` in force for the rest of the current context (replacing any).

    Parameters
    ----------
    labels : mapping or None
        Value key -> language -> label (``EngagementConfig.labels``); None or empty: the
        catalogue's labels only.

    Returns
    -------
    contextvars.Token
        Restores what was in force before: ``_LABELS.reset(token)`` through
        :func:`reset_labels`.
    """
    return _LABELS.set(_frozen(labels))


def reset_labels(token: contextvars.Token[Labels]) -> None:
    """Restore the labels in force before the :func:`set_labels` call that gave ``token``."""
    _LABELS.reset(token)


@contextmanager
def use_labels(labels: Labels | None) -> Iterator[Labels]:
    """Put ``labels`` in force inside a ``with`` block; what was in force before comes back
    after it.

    Parameters
    ----------
    labels : mapping or None
        As for :func:`set_labels`.

    Yields
    ------
    mapping
        The labels in force (a read-only copy).
    """
    token = set_labels(labels)
    try:
        yield _LABELS.get()
    finally:
        reset_labels(token)


def labels_in_force() -> Labels:
    """The labels in force in the current context (empty when none)."""
    return _LABELS.get()


def override_label(name: object, language: str) -> str | None:
    """The engagement's label of value ``name`` in ``language``, or None when it gives none.

    Examples
    --------
    >>> with use_labels({"partner_referral": {"fr": "Recommandation partenaire"}}):
    ...     override_label("Partner Referral", "fr"), override_label("partner_referral", "en")
    ('Recommandation partenaire', None)
    """
    labels = _LABELS.get()
    if not labels or not isinstance(name, str):
        return None
    texts = labels.get(name) or labels.get(_value_key(name)) or {}
    return texts.get(language)


__all__ = [
    "Labels",
    "labels_in_force",
    "override_label",
    "reset_labels",
    "set_labels",
    "use_labels",
]
