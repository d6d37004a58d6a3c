"""The cabinet pack: one content model (:mod:`.content`) built from a run by section functions
(:mod:`.plan` for the plan, :mod:`.sensitivity`, :mod:`.scenarios`, :mod:`.risk`, :mod:`.options`
for the analyses of ``mtfp report``) and rendered to HTML (:mod:`.html`) and Word (:mod:`.word`).
The entry points are in :mod:`mtfpmodel.outputs.report`.
"""
