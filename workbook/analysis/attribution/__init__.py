"""Channel attribution from lead touch paths: rule-based models and a Markov removal effect.

Every model shares out each converted lead (and, when given, its revenue) among the channels
of the lead's touches, so each model's credits add up to the converted leads that have at
least one touch. Leads with no touch are not part of any model; a touched lead missing from
the outcomes counts as not converted.

Pass only the touches that can have influenced the outcome (for instance, touches before the
opportunity was created): the models do not know when a lead converted.

All models are vectorised: leads and channels are numbered with :func:`pandas.factorize`, the
touches put in path order (by lead, time and channel) with :func:`numpy.lexsort`
(:mod:`~workbook.analysis.attribution.paths`), then ``bincount`` passes; the rule-based
models (:mod:`~workbook.analysis.attribution.rules`) read only the converted leads' touches,
and only the Markov model (:mod:`~workbook.analysis.attribution.markov`) loops, once per
channel.

See Also
--------
attribute : the one entry point; every model (or the ones named) side by side, one row per
    channel.
"""

from workbook.analysis.attribution.models import ATTRIBUTION_MODELS, attribute
from workbook.analysis.attribution.paths import touch_order

__all__ = ["ATTRIBUTION_MODELS", "attribute", "touch_order"]
