import rules

from qcommunity.accounts.rules import is_signed_in

rules.add_perm("privacy.download_own_data", is_signed_in)
rules.add_perm("privacy.delete_own_account", is_signed_in)
