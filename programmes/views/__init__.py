"""Programme pages, one module per area: programmes, cohorts, imports, roles, skills,
and the participant's own journey (participation)."""
