"""The append-only trigger lets one path through: deleting an account replaces the person's name
in audit labels and details with "Former member" (qcommunity.audit.services.audit_names_scrub).
That path sets `qcommunity.audit_scrub` for its own transaction only (SET LOCAL), and even then
the trigger allows an UPDATE that changes nothing but `target_label` and `data`: who acted,
what, when and on which object stay as recorded, and deletes are still refused."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('qcommunity.audit_scrub', true) = 'on'
     AND NEW.id = OLD.id
     AND NEW.created_at = OLD.created_at
     AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
     AND NEW.actor_label = OLD.actor_label
     AND NEW.action = OLD.action
     AND NEW.target_type_id IS NOT DISTINCT FROM OLD.target_type_id
     AND NEW.target_id = OLD.target_id THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
"""

REVERSE = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
