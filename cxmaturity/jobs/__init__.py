"""Background jobs: `queue` sends them after the commit (RQ, or this process), `tasks` runs them."""
