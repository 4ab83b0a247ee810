-- PostgreSQL: the same schema change as ../0010_webhook_events.sql.
ALTER TABLE webhook_deliveries ADD COLUMN event TEXT NOT NULL DEFAULT 'counterparty.outcome_changed';
ALTER TABLE webhook_deliveries ADD COLUMN payload TEXT;
