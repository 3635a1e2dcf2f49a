"""CRM presets: an ``engagement.yaml`` whose mapping reads a CRM's standard exports as they come.

Each preset is a commented template in ``workbook/templates/engagement.<name>.yaml``
(shipped with the package) and says which of the CRM's exports goes in which data file.
``workbook new DIR --from <name>`` writes it (:func:`workbook.intake.scaffold.scaffold_engagement`).

The headers and values were looked up in the CRMs' own help pages and in public code reading
real exports; where a header could not be confirmed, the template says CHECK next to it.

Examples
--------
>>> [preset.name for preset in PRESETS.values()]
['hubspot', 'hubspot-fr', 'salesforce']
>>> PRESETS["salesforce"].exports["leads"]
'the leads report'
>>> "stages: [lead, mql, sql, opportunity, won]" in preset_text("hubspot")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType


@dataclass(frozen=True)
class CrmPreset:
    """One CRM's exports and the template that reads them.

    Attributes
    ----------
    name : str
        What ``--from`` takes (``hubspot``).
    label : str
        The CRM as a consultant names it, for messages (``HubSpot (English headers)``).
    exports : mapping of str to str
        Data file stem -> the CRM export that goes in it (``leads`` -> ``the contacts export``).
    """

    name: str
    label: str
    exports: MappingProxyType

    @property
    def template(self) -> str:
        """The template's path inside the package (``templates/engagement.hubspot.yaml``)."""
        return f"templates/engagement.{self.name}.yaml"


def _preset(name: str, label: str, **exports: str) -> CrmPreset:
    return CrmPreset(name, label, MappingProxyType(exports))


#: The presets ``workbook new --from`` offers, by name.
PRESETS: MappingProxyType = MappingProxyType(
    {
        preset.name: preset
        for preset in (
            _preset(
                "hubspot",
                "HubSpot (English headers)",
                leads="the contacts export",
                opportunities="the deals export",
            ),
            _preset(
                "hubspot-fr",
                "HubSpot (French headers)",
                leads="the contacts export",
                opportunities="the deals (transactions) export",
            ),
            _preset(
                "salesforce",
                "Salesforce",
                leads="the leads report",
                opportunities="the opportunities report",
            ),
        )
    }
)


def preset_text(name: str) -> str:
    """The commented ``engagement.yaml`` of a preset.

    Parameters
    ----------
    name : str
        One of :data:`PRESETS`.

    Raises
    ------
    KeyError
        For a name that is not a preset.
    """
    template = PRESETS[name].template
    return resources.files("workbook").joinpath(template).read_text("utf-8")


__all__ = ["PRESETS", "CrmPreset", "preset_text"]
