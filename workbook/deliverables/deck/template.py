"""The deck's template: the client's ``template.pptx``, or the built-in one.

A deck needs three kinds of slide layout, found by the placeholders they hold, never by their
position or name (corporate templates order and name them freely, in any language):

* ``title``: a title and a subtitle (the title slide);
* ``content``: a title and one body (text or content) placeholder (summary, appendix);
* ``title_only``: a title and nothing else (a finding: its chart and takeaway are drawn).

A template that lacks one of them does not fail the deck: the slide uses the template's
nearest layout (a title slide on a title-and-content layout, say), with a warning that names
the template and what to add. A template that cannot be read, or that has no layout with a
title at all, gives way to the built-in template (python-pptx's default, 4:3), with a warning.
The template's masters, theme (colours, fonts) and slide size are kept; slides it holds as
examples are left out of the deck.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PackageNotFoundError
from pptx.util import Emu

from workbook.deliverables.deck.charts import Box

#: Placeholders a layout may hold whatever its kind (they hold no content of ours).
IGNORED = frozenset({PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER})
TITLES = frozenset({PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE})
BODIES = frozenset({PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT})
#: The layouts a deck uses, by role (see the module docstring).
ROLES = ("title", "content", "title_only")
_ROLE_NAMES = {
    "title": "title slide (a title and a subtitle)",
    "content": "title and content (a title and one body placeholder)",
    "title_only": "title only (a title and no other placeholder)",
}
#: When a role's layout is missing, the roles whose layout stands in, in order of preference.
_STAND_INS = {
    "title": ("content", "title_only"),
    "content": ("title_only",),
    "title_only": ("content",),
}
#: Margin kept around drawn content, as a share of the slide's width.
MARGIN_SHARE = 0.05


@dataclass(frozen=True)
class DeckTemplate:
    """The opened template and the layout each role uses.

    Attributes
    ----------
    presentation : pptx.presentation.Presentation
        The deck being built (the template's slides removed).
    layouts : dict of str to SlideLayout
        The layout of each role of :data:`ROLES`.
    warnings : tuple of str
        What the template lacked and what stands in for it.
    """

    presentation: object
    layouts: dict
    warnings: tuple[str, ...]

    @property
    def slide_width(self) -> int:
        return int(self.presentation.slide_width)

    @property
    def slide_height(self) -> int:
        return int(self.presentation.slide_height)


def _is_vertical(placeholder) -> bool:
    """Whether a placeholder's text runs vertically (the vertical-text layouts)."""
    vert = placeholder.element.xpath("./p:txBody/a:bodyPr/@vert")
    return bool(vert) and vert[0] != "horz"


def _parts(layout) -> tuple[list, list, list]:
    """A layout's (horizontal) titles, bodies and other placeholders, footers left out."""
    titles, bodies, others = [], [], []
    for placeholder in layout.placeholders:
        kind = placeholder.placeholder_format.type
        if kind in IGNORED:
            continue
        if kind in TITLES and not _is_vertical(placeholder):
            titles.append(placeholder)
        elif kind in BODIES and not _is_vertical(placeholder):
            bodies.append(placeholder)
        else:
            others.append(placeholder)
    return titles, bodies, others


def _area(placeholder) -> int:
    return int(placeholder.width or 0) * int(placeholder.height or 0)


def find_layouts(presentation) -> dict[str, object]:
    """The layout of each role the template has (a role it lacks is left out).

    Among several candidates, a title-and-content layout with a content (object)
    placeholder is preferred to one with a text placeholder (a section header), then the
    largest body; otherwise the template's first candidate wins.
    """
    found: dict[str, tuple[tuple, object]] = {}

    def offer(role: str, rank: tuple, layout) -> None:
        if role not in found or rank < found[role][0]:
            found[role] = (rank, layout)

    order = 0
    for master in presentation.slide_masters:
        for layout in master.slide_layouts:
            order += 1
            titles, bodies, others = _parts(layout)
            if len(titles) != 1:
                continue
            subtitles = [p for p in others if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE]
            if subtitles and not bodies:
                offer("title", (len(others) - len(subtitles), order), layout)
            elif not others and len(bodies) == 1:
                body = bodies[0]
                is_text = body.placeholder_format.type != PP_PLACEHOLDER.OBJECT
                offer("content", (is_text, -_area(body), order), layout)
            elif not others and not bodies:
                offer("title_only", (order,), layout)
    return {role: layout for role, (_, layout) in found.items()}


def open_template(path: str | Path | None = None) -> DeckTemplate:
    """Open the client's template (or the built-in one) and map its layouts to roles.

    Parameters
    ----------
    path : str or Path, optional
        The client's ``template.pptx``; None for the built-in template.

    Returns
    -------
    DeckTemplate
        Never fails on a template: what it lacks is in ``warnings``.
    """
    warnings: list[str] = []
    presentation = None
    if path is not None:
        path = Path(path)
        try:
            presentation = Presentation(str(path))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError,
                etree.XMLSyntaxError) as error:  # fmt: skip
            warnings.append(
                f"{path}: cannot be read as a PowerPoint file ({error}); the deck uses the "
                "built-in template. Save the client's template from PowerPoint as a "
                "PowerPoint Presentation (.pptx) and run again."
            )
    if presentation is not None:
        layouts = find_layouts(presentation)
        if not layouts:
            warnings.append(
                f"{path}: none of its layouts has a title placeholder; the deck uses the "
                "built-in template. Add 'Title Slide', 'Title and Content' and 'Title Only' "
                "layouts to the template's slide master."
            )
            presentation = None
    if presentation is None:
        presentation = Presentation()
        layouts = find_layouts(presentation)
    _drop_slides(presentation)
    for role in ROLES:
        if role in layouts:
            continue
        stand_in = next(r for r in (*_STAND_INS[role], *ROLES) if r in layouts)
        layouts[role] = layouts[stand_in]
        warnings.append(
            f"{path}: has no {_ROLE_NAMES[role]} layout; those slides use its "
            f"'{layouts[stand_in].name}' layout. Add such a layout to the template's slide "
            "master to choose their look."
        )
    return DeckTemplate(presentation=presentation, layouts=layouts, warnings=tuple(warnings))


def _drop_slides(presentation) -> None:
    """Leave out the slides a template holds (its examples): only its layouts are used."""
    slide_ids = presentation.slides.element
    for slide_id in list(slide_ids):
        relation = slide_id.rId
        slide_ids.remove(slide_id)
        presentation.part.drop_rel(relation)


def placeholder_of(slide, kinds: frozenset):
    """The slide's first horizontal placeholder of one of ``kinds``; None without one."""
    for placeholder in slide.placeholders:
        if placeholder.placeholder_format.type in kinds and not _is_vertical(placeholder):
            return placeholder
    return None


def content_box(template: DeckTemplate, slide, *, below: int | None = None) -> Box:
    """The free area of a slide: below its title (or ``below``), within the margins."""
    width, height = template.slide_width, template.slide_height
    margin = int(width * MARGIN_SHARE)
    title = placeholder_of(slide, TITLES)
    top = below if below is not None else margin
    if below is None and title is not None and title.top is not None:
        top = int(title.top) + int(title.height)
    top += margin // 3
    return Box(margin, top, width - 2 * margin, max(height - margin // 2 - top, margin))


def place(shape, box: Box) -> None:
    """Move and size ``shape`` (a placeholder keeps its template styling) to ``box``."""
    shape.left, shape.top = Emu(box.left), Emu(box.top)
    shape.width, shape.height = Emu(box.width), Emu(box.height)


__all__ = [
    "BODIES",
    "ROLES",
    "TITLES",
    "DeckTemplate",
    "content_box",
    "find_layouts",
    "open_template",
    "place",
    "placeholder_of",
]
