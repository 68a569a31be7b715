"""The ballot rules, held by the database as well as by `exchange.services.ballot_cast`, so no
code path, race or hand-written SQL can record a ballot that breaks them:

- one ballot per member per round (a unique constraint, in 0001);
- every choice is a proposal standing in the ballot's round (stage proposal or shortlisted) and
  its theme is the proposal's theme;
- every theme of the round has exactly the round's `choices_per_theme` choices, or all of the
  theme's standing proposals where it has fewer;
- the ballot is written while voting is open (the transaction's time, `now()`, between the
  round's voting dates). Demo data and tests that build past rounds say so for their own
  transaction with `SET LOCAL exchange.ballot_outside_window = 'on'`.

The checks run in constraint triggers deferred to the commit, so a service can replace a ballot's
choices (delete then insert) in one transaction and be judged on the result."""

from django.db import migrations

CHECK_FUNCTION = """
CREATE FUNCTION exchange_ballot_check(ballot bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  rnd record;
  wrong record;
BEGIN
  SELECT r.* INTO rnd FROM exchange_round r JOIN exchange_ballot b ON b.round_id = r.id
   WHERE b.id = ballot;
  IF NOT FOUND THEN
    RETURN;  -- the ballot was deleted in this transaction
  END IF;
  IF (now() < rnd.voting_opens_at OR now() >= rnd.voting_closes_at)
     AND coalesce(current_setting('exchange.ballot_outside_window', true), '') <> 'on' THEN
    RAISE EXCEPTION 'Voting in % is not open', rnd.name
      USING ERRCODE = 'check_violation', CONSTRAINT = 'exchange_ballot_in_window';
  END IF;
  IF EXISTS (
    SELECT 1 FROM exchange_ballotchoice c JOIN exchange_proposal p ON p.id = c.proposal_id
     WHERE c.ballot_id = ballot
       AND (p.round_id <> rnd.id OR p.theme_id <> c.theme_id
            OR p.stage NOT IN ('proposal', 'shortlisted'))
  ) THEN
    RAISE EXCEPTION 'Ballot % chooses a proposal that is not standing in %', ballot, rnd.name
      USING ERRCODE = 'check_violation', CONSTRAINT = 'exchange_ballot_choice_standing';
  END IF;
  SELECT t.name, count(c.id) AS chosen, least(rnd.choices_per_theme, (
           SELECT count(*) FROM exchange_proposal p
            WHERE p.theme_id = t.id AND p.stage IN ('proposal', 'shortlisted'))) AS needed
    INTO wrong
    FROM exchange_theme t
    LEFT JOIN exchange_ballotchoice c ON c.theme_id = t.id AND c.ballot_id = ballot
   WHERE t.round_id = rnd.id
   GROUP BY t.id, t.name
  HAVING count(c.id) <> least(rnd.choices_per_theme, (
           SELECT count(*) FROM exchange_proposal p
            WHERE p.theme_id = t.id AND p.stage IN ('proposal', 'shortlisted')))
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Ballot % has % choices in theme "%", not %',
      ballot, wrong.chosen, wrong.name, wrong.needed
      USING ERRCODE = 'check_violation', CONSTRAINT = 'exchange_ballot_choices_per_theme';
  END IF;
END;
$$;

CREATE FUNCTION exchange_ballot_check_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'exchange_ballot' THEN
    PERFORM exchange_ballot_check(NEW.id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM exchange_ballot_check(OLD.ballot_id);
  ELSE
    PERFORM exchange_ballot_check(NEW.ballot_id);
    IF TG_OP = 'UPDATE' AND OLD.ballot_id <> NEW.ballot_id THEN
      PERFORM exchange_ballot_check(OLD.ballot_id);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER exchange_ballot_rules
  AFTER INSERT OR UPDATE ON exchange_ballot
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION exchange_ballot_check_row();

CREATE CONSTRAINT TRIGGER exchange_ballotchoice_rules
  AFTER INSERT OR UPDATE OR DELETE ON exchange_ballotchoice
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION exchange_ballot_check_row();
"""

DROP = """
DROP TRIGGER IF EXISTS exchange_ballotchoice_rules ON exchange_ballotchoice;
DROP TRIGGER IF EXISTS exchange_ballot_rules ON exchange_ballot;
DROP FUNCTION IF EXISTS exchange_ballot_check_row();
DROP FUNCTION IF EXISTS exchange_ballot_check(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_proposals")]

    operations = [migrations.RunSQL(CHECK_FUNCTION, DROP)]
