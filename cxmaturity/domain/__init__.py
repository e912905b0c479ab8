"""The domain: questionnaire model and loader, scoring, KPIs. Pure Python only."""
