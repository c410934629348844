"""Reciprocal pairing engine: who should mentor whom, both ways.

Pure Python + numpy/scipy, no Django: ``pairing.candidates`` turns model rows into
:class:`Candidate` objects, the services call :func:`match` and store the result. Everything
here is deterministic: the same candidates, rules and locked pairs always give the same pairs.

Import from here; the modules are the engine's inside, each with its part of the formula:

- ``model``: the dataclasses in and out (:class:`Candidate`, :class:`Rules`, :class:`Score`,
  :class:`Matching`), the constants, and the hard rules (:func:`hard_rule_violations`);
- ``scoring``: the scoring formula, for one pair (:func:`score`) and for a whole pool at
  once (:func:`weight_matrix`, numpy);
- ``reasons``: a score's reasons as facts (:class:`Reason`: who offers what to whom), stored
  as JSON and turned into sentences, with or without the people's names
  (:func:`reason_texts`);
- ``blossom``: Edmonds' exact matching, for pools of up to ``EXACT_POOL_LIMIT`` people
  (its stages and dual updates; ``blossom_forest``: the trees and blossoms they work on);
- ``heuristic``: the assignment relaxation and its rounding, for larger pools;
- ``match``: the entry point (:func:`match`): locked pairs, the solver's choice, trios, the
  upper bound and the reasons people stay unmatched.

``pairing.engine.match`` is the function (it shadows the module of the same name here);
reach the module's own names through this package or ``from pairing.engine.match import``.
"""

from .match import (
    REASON_ALL_FORBIDDEN,
    REASON_NOBODY_ELSE,
    REASON_ODD_NO_TRIO,
    REASON_ODD_NO_TRIO_FIT,
    REASON_ONLY_LOCKED,
    REASON_PARTNERS_TAKEN,
    match,
)
from .model import (
    EXACT_POOL_LIMIT,
    GENERATION_GAP_YEARS,
    LOCAL_SEARCH_MAX_PASSES,
    Candidate,
    Matching,
    ProgressCallback,
    Rules,
    Score,
    hard_rule_violations,
)
from .reasons import Reason, reason_texts, reasons_as_json, reasons_from_json
from .scoring import score, weight_matrix

__all__ = [
    "EXACT_POOL_LIMIT",
    "GENERATION_GAP_YEARS",
    "LOCAL_SEARCH_MAX_PASSES",
    "REASON_ALL_FORBIDDEN",
    "REASON_NOBODY_ELSE",
    "REASON_ODD_NO_TRIO",
    "REASON_ODD_NO_TRIO_FIT",
    "REASON_ONLY_LOCKED",
    "REASON_PARTNERS_TAKEN",
    "Candidate",
    "Matching",
    "ProgressCallback",
    "Reason",
    "Rules",
    "Score",
    "hard_rule_violations",
    "match",
    "reason_texts",
    "reasons_as_json",
    "reasons_from_json",
    "score",
    "weight_matrix",
]
