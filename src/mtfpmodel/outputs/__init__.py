"""Every file written and everything drawn or printed: CSV, charts, workbook, report, terminal tables.

Lives here: presentation of figures computed below (never arithmetic of the plan). May import:
analysis, results, engine, scenario.
"""
