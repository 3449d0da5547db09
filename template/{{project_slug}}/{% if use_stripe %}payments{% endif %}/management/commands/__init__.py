"""`stripe_replay_event`."""
