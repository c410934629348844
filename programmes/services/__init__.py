"""Every write on programmes, cohorts, participants, invitations, roles and skills.

One module per kind of object; import from the module (``programmes.services.imports``).
"""
