"""Push-notification checks: a receiver the suite serves, triggers that make a subscribed flight's status change,
and the scenario checks that subscribe, trigger and watch what arrives (``checks.py``)."""
