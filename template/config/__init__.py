"""Project configuration: settings, URL routing and the WSGI/ASGI entry points."""
