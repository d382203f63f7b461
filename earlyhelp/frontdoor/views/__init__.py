"""The front door's pages: the referral journeys (`referral.py`, `self_referral.py`), triage
(`triage.py`) and the lists that follow a decision (`lists.py`)."""
