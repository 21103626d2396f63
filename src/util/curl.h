/*
 * What every libcurl client here (embeddings, the model service, OpenID
 * providers, S3 and its credential endpoints) shares: starting libcurl
 * once per process, and a write callback that collects a bounded answer.
 */
#ifndef PLC_UTIL_CURL_H
#define PLC_UTIL_CURL_H

#include <stdbool.h>
#include <stddef.h>

/* Initialises libcurl the first time it is called in a process (never
 * cleaned up: the process's lifetime).  Returns false, logged, when
 * libcurl cannot start; callers then fail their request. */
bool curl_ready(void);

/* A CURLOPT_WRITEFUNCTION that appends to the struct buf given as
 * CURLOPT_WRITEDATA.  Returns 0 (libcurl then aborts the transfer with
 * CURLE_WRITE_ERROR) once the buf's limit would be passed. */
size_t curl_write_buf(char *ptr, size_t size, size_t nmemb, void *userdata);

#endif
