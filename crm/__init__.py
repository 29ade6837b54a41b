"""The domain: entities, use cases, plan rules, reports and the CLI. Never imports flask."""
