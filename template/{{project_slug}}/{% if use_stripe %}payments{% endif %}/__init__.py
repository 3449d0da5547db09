"""Stripe payments and subscriptions: Checkout, the Customer Portal and a verified webhook."""
