"""Quality Mark standards: a standard's versions, each with domains, criteria and levels; drafted,
edited and published by coordinators. A published version never changes (a database trigger
holds that)."""
