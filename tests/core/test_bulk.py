"""core.bulk: work deferred to the end of a bulk change, once per key."""

import pytest

from core import bulk


def test_outside_a_bulk_change_nothing_is_deferred():
    assert bulk.defer("key", lambda: None) is False
    assert not bulk.active()


def test_each_key_runs_once_when_the_outermost_block_ends():
    ran = []
    with bulk.deferred():
        assert bulk.defer("a", lambda: ran.append("a")) is True
        with bulk.deferred():
            bulk.defer("a", lambda: ran.append("a again"))
            bulk.defer("b", lambda: ran.append("b"))
        assert ran == []  # the inner block's end is not the end
    assert ran == ["a", "b"]
    assert not bulk.active()


def test_the_deferred_work_runs_even_when_the_block_fails():
    ran = []
    with pytest.raises(ValueError), bulk.deferred():
        bulk.defer("a", lambda: ran.append("a"))
        raise ValueError
    assert ran == ["a"]
