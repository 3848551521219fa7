"""Schemathesis hooks for scripts/fuzz-api.sh (loaded through SCHEMATHESIS_HOOKS).

An upload's chunk (PATCH /api/uploads/{id}, /api/staff/uploads/{id}) is sent as
`application/offset+octet-stream`, the tus media type, which schemathesis cannot make by itself: it is given
raw bytes here (empty, a PDF's first bytes, random ones), so those two operations are fuzzed too."""

from hypothesis import strategies as st

import schemathesis

schemathesis.openapi.media_type(
    "application/offset+octet-stream",
    st.one_of(st.just(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), st.binary(max_size=4096)),
)
