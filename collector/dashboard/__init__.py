"""The dashboard: its users, their sessions, and the web app served at ``/dashboard``.

The web app reads and changes data only through the public admin and analytics APIs; a
signed-in session stands in for the secret key there (see ``access``).
"""
