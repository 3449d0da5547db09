"""Users: the custom user model (email sign-in) and its admin."""
