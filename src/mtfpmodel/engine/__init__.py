"""Arrays in, arrays out: addressable parameters, compiled inputs, the projection, stream kinds, financing.

Lives here: the pure MTFP arithmetic on a leading draws axis (no files, no printing). May import: scenario.
"""
