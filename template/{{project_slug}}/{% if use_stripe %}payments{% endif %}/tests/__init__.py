"""Tests of payments: Stripe's HTTP faked at the boundary, webhooks signed as Stripe signs."""
