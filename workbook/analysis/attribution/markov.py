"""Markov-chain attribution: each channel's removal effect on the chance to convert.

See Also
--------
workbook.analysis.attribution.rules : the rule-based models.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.analysis.attribution.paths import TouchPaths


def _absorbing_conversion_probability(transient: np.ndarray, absorbing: np.ndarray) -> float:
    """P(start ends in conversion): solve (I - Q) B = R; B[start, conversion]."""
    identity = np.eye(transient.shape[0])
    absorption = np.linalg.solve(identity - transient, absorbing)
    return float(absorption[0, 0])


def _markov_removal_effects(paths: TouchPaths) -> tuple[np.ndarray, float]:
    """Removal effect per channel and the chain's conversion probability.

    States: 0 = start, 1..m = channels, m+1 = conversion, m+2 = null.
    """
    n_channels = len(paths.channel_names)
    if paths.lead.size == 0:
        return np.zeros(0), 0.0
    n_states = n_channels + 3
    conversion, null = n_channels + 1, n_channels + 2
    # each lead's path with consecutive repeats collapsed: a step is a change of channel
    # within a lead; a path starts at a lead's first touch and ends at its last
    lead, channel = paths.lead, paths.channel
    same_lead = lead[1:] == lead[:-1]
    step = same_lead & (channel[1:] != channel[:-1])
    # channel -> channel: each step's (from, to) pair as one small integer, counted
    pair = channel[:-1].astype(np.int64) * n_channels + channel[1:]
    counts = np.zeros((n_states, n_states), dtype=np.int64)  # state = channel + 1
    counts[1 : n_channels + 1, 1 : n_channels + 1] = np.bincount(
        pair[step], minlength=n_channels**2
    ).reshape(n_channels, n_channels)
    # start -> each path's first channel; each path's last channel -> conversion or null
    last = np.flatnonzero(np.append(~same_lead, True))
    first = np.insert(last[:-1] + 1, 0, 0)
    counts[0, 1 : n_channels + 1] += np.bincount(channel[first], minlength=n_channels)
    exits = np.where(paths.lead_converted[lead[last]], conversion, null)
    from_last = channel[last].astype(np.intp) + 1
    counts += np.bincount(from_last * n_states + exits, minlength=n_states**2).reshape(
        n_states, n_states
    )
    counts = counts[: n_channels + 1].astype(float)
    probabilities = counts / counts.sum(axis=1, keepdims=True)
    transient = probabilities[:, : n_channels + 1]
    absorbing = probabilities[:, n_channels + 1 :]

    base = _absorbing_conversion_probability(transient, absorbing)
    if base <= 0.0:
        return np.full(n_channels, np.nan), 0.0
    effects = np.empty(n_channels)
    for code in range(n_channels):
        removed_transient = transient.copy()
        removed_absorbing = absorbing.copy()
        removed_transient[code + 1, :] = 0.0
        removed_absorbing[code + 1, :] = (0.0, 1.0)
        removed = _absorbing_conversion_probability(removed_transient, removed_absorbing)
        effects[code] = 1.0 - removed / base
    return np.clip(effects, 0.0, 1.0), base


def markov_frame(paths: TouchPaths) -> pd.DataFrame:
    r"""First-order Markov-chain attribution by removal effect, over touch paths.

    Each lead's time-ordered path, with consecutive repeats of a channel collapsed into one
    step, becomes ``start -> c_1 -> ... -> c_k -> conversion`` (converted lead) or
    ``... -> null``. Transition probabilities are the observed counts of each step divided by
    the counts leaving its state, over all touched leads, converted or not. With :math:`Q` the
    transitions among transient states (start and channels) and :math:`R` those into the
    absorbing states (conversion, null), :math:`(I - Q) B = R` gives the absorption
    probabilities and :math:`P = B_{start, conversion}`.

    The removal effect of channel :math:`c` is :math:`1 - P_{-c} / P`, where :math:`P_{-c}` is
    the conversion probability once every transition out of :math:`c` is redirected to null.
    Credit shares are the removal effects normalised to sum to 1, times the converted leads
    (and their revenue).

    Parameters
    ----------
    paths : TouchPaths
        Built with every path (not only the converted leads').

    Returns
    -------
    pandas.DataFrame
        As the rule-based models (``converted``, optionally ``revenue``) plus
        ``removal_effect`` (0..1; NaN for every channel when no touched lead converted, in
        which case all credits are 0).

    References
    ----------
    .. [1] Anderl E., Becker I., von Wangenheim F., Schumann J.H. (2016). Mapping the customer
       journey: lessons learned from graph-based online attribution modeling.
       *International Journal of Research in Marketing* 33(3), 457-474.

    See Also
    --------
    workbook.analysis.attribution.attribute : every model, Markov's as ``markov_*`` columns.

    Examples
    --------
    Paths C1 > C2 > C3 (converted), C1 (not), C2 > C3 (not): P = 1/3; removing C1 leaves
    1/6, removing C2 or C3 leaves 0.

    >>> touches = pd.DataFrame({
    ...     "lead_id": ["a", "a", "a", "b", "c", "c"],
    ...     "touched_at": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03",
    ...                                   "2026-01-01", "2026-01-01", "2026-01-02"]),
    ...     "channel": ["C1", "C2", "C3", "C1", "C2", "C3"]})
    >>> outcomes = pd.Series({"a": True, "b": False, "c": False})
    >>> from workbook.analysis.attribution import attribute
    >>> attribute(touches, outcomes, models=["markov"]).round(3).to_dict("list")
    {'markov_converted': [0.2, 0.4, 0.4], 'markov_removal_effect': [0.5, 1.0, 1.0]}
    """
    effects, _ = _markov_removal_effects(paths)
    total = np.nansum(effects)
    share = effects / total if total > 0 else np.zeros_like(effects)
    converted_leads = float(paths.lead_converted.sum())
    columns = {"converted": share * converted_leads}
    if paths.lead_revenue is not None:
        columns["revenue"] = share * float(paths.lead_revenue.sum())
    columns["removal_effect"] = effects
    return pd.DataFrame(columns, index=pd.Index(paths.channel_names, name="channel", dtype=str))
