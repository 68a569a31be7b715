"""Only members vote, held by the database too: the ballot check of 0002 also refuses a ballot
whose voter is not an active account holding the member role (`accounts_userrole`). The role is
checked when the ballot is written (cast or changed); a member whose role is later removed keeps
the ballot they cast, and turnout counts only the ballots of current members.

The other rules are those of 0002, unchanged."""

import importlib

from django.db import migrations

CHECK_FUNCTION = """
CREATE OR REPLACE FUNCTION exchange_ballot_check(ballot bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  rnd record;
  wrong record;
  voter bigint;
BEGIN
  SELECT r.*, b.voter_id AS ballot_voter INTO rnd
    FROM exchange_round r JOIN exchange_ballot b ON b.round_id = r.id
   WHERE b.id = ballot;
  IF NOT FOUND THEN
    RETURN;  -- the ballot was deleted in this transaction
  END IF;
  voter := rnd.ballot_voter;
  IF NOT EXISTS (
    SELECT 1 FROM accounts_userrole ur JOIN accounts_user u ON u.id = ur.user_id
     WHERE ur.user_id = voter AND ur.role = 'member' AND u.is_active
  ) THEN
    RAISE EXCEPTION 'The voter of ballot % is not a member', ballot
      USING ERRCODE = 'check_violation', CONSTRAINT = 'exchange_ballot_voter_member';
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
"""


def _previous_function() -> str:
    """0002's check function, as it was, to put back when this migration is reversed."""
    previous = importlib.import_module("exchange.migrations.0002_ballot_rules").CHECK_FUNCTION
    function = previous.split("CREATE FUNCTION exchange_ballot_check_row()")[0]
    return function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0005_comment_removed"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunSQL(CHECK_FUNCTION, _previous_function())]
