/*
 * Exports of a conversation as PDF, Markdown or plain text: the model a
 * renderer draws, and the renderers.  No HTTP, no database: callers fill
 * a struct export_conversation (export_from_json() does it from what
 * src/db/exports.h reads) and call export_render().  See
 * src/export/README.md.
 *
 * All three formats carry the same content: the title, who and when, and
 * for each question its answer with the answer's formatting (the answer
 * Markdown subset, amd.h) and its citations as `Title by Authors, Chapter
 * N: Chapter title, pp. X-Y` with the quoted passage.
 */
#ifndef PLC_EXPORT_EXPORT_H
#define PLC_EXPORT_EXPORT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

struct buf;

enum export_format { EXPORT_PDF, EXPORT_MD, EXPORT_TXT };

/* One citation of an answer. */
struct export_citation {
    int n;             /* the number the answer's text uses: [n] */
    const char *label; /* `Title by Authors, Chapter N: Chapter title, pp. X-Y` */
    const char *quote; /* the quoted passage; "" when none */
};

/* One message, in the conversation's order. */
struct export_message {
    bool question;              /* the user's question; else the coach's reply */
    const char *content;        /* a question's text, or the reply's Markdown */
    const char *created_at;     /* ISO 8601 UTC ("2024-05-01T14:03:00Z"), or NULL */
    const char *kind;           /* a reply's kind: "answer", "clarification", "refusal", "error" (a
                                 * failure saved in the answer's place) or NULL */
    const char *const *choices; /* a clarification's choices (nchoices) */
    size_t nchoices;
    const struct export_citation *citations;
    size_t ncitations;
};

/* What is exported.  Strings are UTF-8 (the renderers clean what is not)
 * and borrowed: the caller owns them for the duration of the call. */
struct export_conversation {
    const char *title;       /* may be "" (the renderers say "Untitled conversation") */
    const char *author;      /* whose conversation: the owner's display name */
    const char *created_at;  /* ISO 8601 UTC, or NULL */
    const char *exported_at; /* ISO 8601 UTC: when this export was made */
    const char *shared_by;   /* exported through a share link: who shared it; else NULL */
    const struct export_message *messages;
    size_t nmessages;
};

/* Renders c in format f, appending the file's bytes to out.  Returns false
 * with a reason in err when the renderer failed (cairo could not make the
 * PDF); out is then left as it was.  The PDF needs fontconfig to find the
 * fonts named in render_pdf.c (Debian's fonts-dejavu-core). */
bool export_render(const struct export_conversation *c, enum export_format f, struct buf *out,
                   char *err, size_t errlen) __attribute__((nonnull, warn_unused_result));

/* "pdf", "md", "txt" <-> the format.  parse returns false for anything else. */
bool export_format_parse(const char *name, enum export_format *out) __attribute__((nonnull));
const char *export_format_name(enum export_format f);

/* The file's media type: "application/pdf", "text/markdown; charset=utf-8",
 * "text/plain; charset=utf-8". */
const char *export_content_type(enum export_format f);

/* A download name for the conversation titled title made on date
 * (YYYY-MM-DD...; NULL: none): the title's letters and digits in lower
 * case, other runs as one '-', at most 60 bytes, then "-YYYY-MM-DD.ext";
 * "conversation" when the title gives nothing.  ASCII only, so it needs
 * no quoting in a Content-Disposition header.  Allocated in a. */
const char *export_filename(struct arena *a, const char *title, const char *date,
                            enum export_format f) __attribute__((nonnull(1, 2)));

/* Fills *out from conv, the document src/db/exports.h reads: {"title",
 * "author", "created_at", "shared_by", "messages": [...]} where messages
 * are the API's message objects (role, content, citations, type,
 * clarification, created_at).  exported_at is copied.  Every string and
 * array is allocated in a or borrowed from conv, which must outlive *out.
 * Returns false when conv is not such a document. */
bool export_from_json(json_object *conv, const char *exported_at, struct arena *a,
                      struct export_conversation *out) __attribute__((nonnull));

/* Appends the citation label of one citation object of a message (its
 * "book", "chapter" and "pages"; "display" when those are missing). */
void export_citation_label(struct buf *out, json_object *citation) __attribute__((nonnull));

/* Renderers (render_pdf.c, render_text.c), through export_render(),
 * which hands them the conversation cleaned: every string valid UTF-8
 * without control characters, single-line fields on one line. */
bool export_render_pdf(const struct export_conversation *c, struct buf *out, char *err,
                       size_t errlen) __attribute__((nonnull));
void export_render_markdown(const struct export_conversation *c, struct buf *out)
    __attribute__((nonnull));
void export_render_text(const struct export_conversation *c, struct buf *out)
    __attribute__((nonnull));

/* Releases what pango, cairo and fontconfig keep for the process (the
 * font map, the font cache), so that a process that rendered ends
 * leak-free; call once, at exit, when nothing renders any more.  When
 * pango's own thread still holds the font map it waits for it (at most
 * 2 s), and past that leaves everything to the process's exit
 * (render_pdf.c says why). */
void export_release(void);

/* Shared by the renderers: "2024-05-01 14:03 UTC" from an ISO 8601 time
 * (the text as given when it does not look like one), in a. */
const char *export_time(struct arena *a, const char *iso) __attribute__((nonnull(1)));

#endif
