"""bench/peers/twin.py - the FastAPI peers of bench/peers/run.sh.

GET /hello: FastAPI + uvicorn's hello world (a small JSON document).
GET /api/conversations: the authenticated read of plccoach, twinned: the
session check and the list query, the very SQL texts plccoach-fcgi sent
(captured from PostgreSQL's statement log by run.sh into $TWIN_SQL, so
nothing is copied by hand), through an asyncpg pool, and the same JSON
shape.  asyncpg prepares and caches each statement per connection.

    TWIN_DSN=postgresql://... TWIN_SQL=sql.json uvicorn --workers 2 twin:app
"""
import datetime
import hashlib
import json
import os

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()
SQL = json.load(open(os.environ["TWIN_SQL"]))
IDLE_SECONDS = int(os.environ.get("TWIN_SESSION_IDLE", "1800"))
PAGE = 20
PREVIEW_CHARS = 160
POOL = None


@app.on_event("startup")
async def startup():
    global POOL
    POOL = await asyncpg.create_pool(os.environ["TWIN_DSN"], min_size=2,
                                     max_size=int(os.environ.get("TWIN_POOL", "4")))


def convert(value, pgtype):
    """A text parameter as asyncpg wants it for the parameter's type."""
    if value is None:
        return None
    if pgtype in ("int2", "int4", "int8"):
        return int(value)
    if pgtype == "date":
        return datetime.date.fromisoformat(value)
    return value


async def run(conn, sql, *params):
    stmt = await conn.prepare(sql)  # from asyncpg's statement cache after the first
    types = [t.name for t in stmt.get_parameters()]
    return await stmt.fetch(*(convert(v, t) for v, t in zip(params, types)))


def error(status, code, message):
    return JSONResponse({"error": {"code": code, "message": message, "request_id": ""}},
                        status_code=status, headers={"Cache-Control": "no-store"})


@app.get("/hello")
async def hello():
    return {"status": "ok", "version": "peer"}


@app.get("/api/conversations")
async def conversations(request: Request):
    token = request.cookies.get("plc_session")
    if not token:
        return error(401, "unauthenticated", "sign in first")
    digest = hashlib.sha256(token.encode()).hexdigest()
    async with POOL.acquire() as conn:
        user = await run(conn, SQL["session"], digest, str(IDLE_SECONDS))
        if len(user) != 1:
            return error(401, "unauthenticated", "sign in first")
        rows = await run(conn, SQL["list"], str(user[0][0]), "false", None, None, None,
                         None, None, str(PAGE + 1))
    out = []
    for r in rows[:PAGE]:
        # columns: id, title, created, updated, count, archived, archived_at,
        # preview text, more, updated as microseconds
        preview = " ".join((r[7] or "").split())
        if r[8] or len(preview) > PREVIEW_CHARS:
            preview = preview[:PREVIEW_CHARS].rstrip() + "\u2026"
        out.append({"id": str(r[0]), "title": r[1], "preview": preview, "created_at": r[2],
                    "updated_at": r[3], "message_count": r[4], "archived": r[5],
                    "archived_at": r[6]})
    body = {"conversations": out}
    if len(rows) > PAGE:
        body["next_cursor"] = "%s.%s" % (rows[PAGE - 1][9], rows[PAGE - 1][0])
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
