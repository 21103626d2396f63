#!/bin/sh
exec "${SHELL:-/bin/sh}" "$PLC_SRCDIR/fuzz/run.sh" booktitle
