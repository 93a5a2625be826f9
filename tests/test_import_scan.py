"""The safety scan's bound on shared strings (importing/safety.py): the distance between consecutive <si>
starts, read by splitting the part where every « <si » starts an <si> element, tag by tag otherwise;
both give the same longest string and count, piece after piece."""

from __future__ import annotations

import pytest

from cqic_budget.importing.refusal import DEFAULT_LIMITS
from cqic_budget.importing.safety import _SharedStringsScan


def scanned(*pieces: bytes) -> tuple[int, int]:
    scan = _SharedStringsScan(DEFAULT_LIMITS)
    for piece in pieces:
        scan.scan(piece)
    return scan.longest, scan.count


def test_the_longest_shared_string_spans_pieces():
    # « <sst> » is 5 bytes: <si> starts at 5; « <si><t>ab</t></si> » is 18 bytes: the next at 23; « <si/> »
    # is 5: the third at 28, in the second piece; « <si ><t>c</t></si></sst> » is 24 bytes: the end at 52.
    # Distances 18, 5 and 24: the longest is 24.
    first = b"<sst><si><t>ab</t></si><si/>"
    second = b"<si ><t>c</t></si></sst>"
    assert (len(first), len(first + second)) == (28, 52)
    assert scanned(first, second) == (24, 3)


@pytest.mark.parametrize("odd", [b"<sixx/>", b"<si\x0b/>", b"<x:si><t>z</t></x:si>"])
def test_a_tag_that_only_looks_like_si_is_read_tag_by_tag(odd):
    # « <sixx/> » is no <si> start for the tag regex (\b); « <si\x0b/> » (a vertical tab) and « <x:si> » are
    # ones the split does not look for: these pieces go tag by tag, with the same result as the regex.
    piece = b"<si><t>a</t></si>" + odd + b"<si><t>bcd</t></si>"
    starts = [0, 17 + len(odd)] if odd == b"<sixx/>" else [0, 17, 17 + len(odd)]
    ends = starts[1:] + [len(piece)]
    assert scanned(piece) == (max(e - s for s, e in zip(starts, ends, strict=True)), len(starts))
