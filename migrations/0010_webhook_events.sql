-- Webhook deliveries carry an event of their own: an alert (`counterparty.outcome_changed`, whose body is the alert
-- row's) or a signed audit checkpoint (`audit.checkpoint`, whose body is kept here), published where the database
-- cannot reach it. `alert_id` names the record the event is about: the alert, or `chk_` and the checkpoint's id.
ALTER TABLE webhook_deliveries ADD COLUMN event TEXT NOT NULL DEFAULT 'counterparty.outcome_changed';
ALTER TABLE webhook_deliveries ADD COLUMN payload TEXT;
