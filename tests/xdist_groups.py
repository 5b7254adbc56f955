"""A hook shared by tests/conftest.py and tests/browser/conftest.py (which runs without the former:
`make test-browser` passes --confcutdir=tests/browser)."""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Make ``--dist loadgroup`` (``make test-package``, ``make test-browser``) honour the ``xdist_group`` marks on pytest 9.2.

    A worker tells the controller each test's group by appending ``@group`` to its node id; pytest-xdist 3.8
    writes the suffix into ``item._nodeid``, which pytest 9.2's node ids (``item._id``) no longer read, so every
    group is silently split over the workers (pytest-dev/pytest-xdist#1386). This appends it the same way
    xdist does, through ``_id``; it does nothing where xdist's own suffix took effect.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        suffix = "@" + "_".join(names)
        if names and hasattr(item, "_id") and not item.nodeid.endswith(suffix):
            item._id = type(item._id).parse(item.nodeid + suffix)
