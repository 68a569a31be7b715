"""A published standard version never changes, held by the database: a trigger refuses to
update or delete a published version, and to insert, update or delete the domains, criteria and
levels of a published version (moving one into a published version included). Publishing
itself (draft to published) is the one change a version's row accepts from its draft state.

Deleting a whole table's rows with TRUNCATE (the test database's flush) fires no row trigger."""

from django.db import migrations

SQL = """
CREATE FUNCTION accreditation_version_published_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'Standard version % is published and cannot change', OLD.id
      USING ERRCODE = 'integrity_constraint_violation',
            CONSTRAINT = 'accreditation_version_published_immutable';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER accreditation_version_published_immutable
  BEFORE UPDATE OR DELETE ON accreditation_standardversion
  FOR EACH ROW EXECUTE FUNCTION accreditation_version_published_immutable();

CREATE FUNCTION accreditation_version_part_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM accreditation_standardversion v
         WHERE v.id = OLD.version_id AND v.status = 'published'))
     OR (TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM accreditation_standardversion v
         WHERE v.id = NEW.version_id AND v.status = 'published')) THEN
    RAISE EXCEPTION 'The % of a published standard version cannot change', TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation',
            CONSTRAINT = 'accreditation_version_published_immutable';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER accreditation_domain_immutable
  BEFORE INSERT OR UPDATE OR DELETE ON accreditation_domain
  FOR EACH ROW EXECUTE FUNCTION accreditation_version_part_immutable();
CREATE TRIGGER accreditation_criterion_immutable
  BEFORE INSERT OR UPDATE OR DELETE ON accreditation_criterion
  FOR EACH ROW EXECUTE FUNCTION accreditation_version_part_immutable();
CREATE TRIGGER accreditation_level_immutable
  BEFORE INSERT OR UPDATE OR DELETE ON accreditation_level
  FOR EACH ROW EXECUTE FUNCTION accreditation_version_part_immutable();
"""

REVERSE = """
DROP TRIGGER IF EXISTS accreditation_level_immutable ON accreditation_level;
DROP TRIGGER IF EXISTS accreditation_criterion_immutable ON accreditation_criterion;
DROP TRIGGER IF EXISTS accreditation_domain_immutable ON accreditation_domain;
DROP FUNCTION IF EXISTS accreditation_version_part_immutable();
DROP TRIGGER IF EXISTS accreditation_version_published_immutable ON accreditation_standardversion;
DROP FUNCTION IF EXISTS accreditation_version_published_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0001_standards")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
