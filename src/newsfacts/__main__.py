"""``python -m newsfacts``: the ``newsfacts`` command."""

from .cli import app

app(prog_name="newsfacts")
