"""What a scenario file is: YAML reading, field types, series, schema, ``extends:``, loader, errors.

Lives here: everything about reading and validating a scenario. May import: nothing else in mtfpmodel.
"""
