"""The projected plan as tables: the ``Result`` API, summary/lines/funding/savings, gap table, bridge, appraisal, warnings.

Lives here: what one run of the engine means, computed once for every output. May import: engine, scenario.
"""
