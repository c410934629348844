"""Forms of the programme pages, one module per page area (as ``programmes/views/``):
``programmes``, ``cohorts`` (cohort, invite one person, the participant table's filters),
``imports``, ``roles``, ``skills`` and ``participation`` (the participant's own journey);
``fields`` holds what several of them share. Each validates with a clear message next to
the field."""
