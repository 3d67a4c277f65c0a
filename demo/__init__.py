"""The laptop demo (`make run`): a national catalogue of suppliers and brokers, pharmacies, 90 days
of history, staff of each role, subscribers, and brokers played over HTTP. Nothing else imports it."""
