/*
 * The parts of the coach's answer document (pipeline.h describes the
 * document): the domains, one citation, and the pieces of text around
 * them (the conversation title and the citation label, declared in
 * pipeline.h because the HTTP layer and the command line use them too).
 *
 * Ownership: each *_json function returns a new object that the caller
 * owns (json_object_put, or hand it to a container that then owns it).
 */
#ifndef PLC_COACH_DOCUMENT_H
#define PLC_COACH_DOCUMENT_H

#include <json-c/json.h>

struct search_hit;

/* Returns the domains of set (bit i = domain i) as a new array of names. */
json_object *coach_domains_json(unsigned set) __attribute__((warn_unused_result));

/* Returns the citation of source n (hit) with quote as a new object:
 * {"n", "chunk_id", "book": {"title", "authors"}, "chapter": {"number",
 * "title"}, "pages": {"start", "end"}, "quote", "context", "display"}. */
json_object *coach_citation_json(int n, const struct search_hit *h, const char *quote)
    __attribute__((nonnull(2), warn_unused_result));

#endif
