/* Tests for the OpenAI-compatible embedder against a scripted server
 * (t/library/embed-server.py, started here on a free port): batching,
 * index order, 429 then success, 5xx retries giving up, malformed JSON,
 * wrong dimensions, the bearer token. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "library/embed.h"
#include "tap/basic.h"
#include "tap/server.h"
#include "util/alloc.h"
#include "util/cfg.h"
#include "util/log.h"

static struct tap_server server;

static void stop_server(void)
{
    tap_server_stop(&server);
}

static void set(struct config *cfg, const char *k, const char *v)
{
    char err[200];
    if (!config_set(cfg, k, v, err, sizeof(err)))
        bail("%s", err);
}

static void use_mode(struct config *cfg, const char *mode)
{
    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/%s", server.port, mode);
    set(cfg, "PLCCOACH_EMBEDDINGS_URL", url);
}

int main(void)
{
    struct config cfg;
    char err[200];
    const char *texts[70];
    char *owned[70];
    float *out;
    size_t i;
    bool good = true;

    log_init("cli", LOG_ERROR + 1); /* the failures below log on purpose */
    if (!config_load(&cfg, err, sizeof(err)))
        bail("%s", err);
    tap_server_start(&server, "t/library/embed-server.py", "python3 embeddings server");
    atexit(stop_server);
    plan(13);

    set(&cfg, "PLCCOACH_EMBEDDINGS", "openai");
    set(&cfg, "PLCCOACH_EMBEDDINGS_MODEL", "test-model");
    set(&cfg, "PLCCOACH_EMBEDDINGS_DIMENSIONS", "8");
    ok(!config_set(&cfg, "PLCCOACH_EMBEDDINGS", "magic", err, sizeof(err)),
       "an unknown provider is refused");
    set(&cfg, "PLCCOACH_EMBEDDINGS", "openai"); /* a refused value may have been stored */
    ok(!config_set(&cfg, "PLCCOACH_EMBEDDINGS_URL", "http://example.com", err, sizeof(err)),
       "plain http off loopback is refused");
    ok(!embed_texts(&cfg, (const char *[]){"x"}, 1, (float[8]){0}),
       "and never fetched by the embedder");
    for (i = 0; i < 70; i++) {
        owned[i] = xasprintf("text number %zu%s", i, i % 3 ? "" : " longer");
        texts[i] = owned[i];
    }
    out = xcalloc(70 * 8, sizeof(float));

    use_mode(&cfg, "ok");
    ok(embed_texts(&cfg, texts, 70, out), "70 texts in two batches");
    for (i = 0; i < 70 && good; i++)
        good = out[i * 8 + 1] == (float)(((strlen(texts[i]) + 1) % 7) / 7.0);
    ok(good, "each vector belongs to its text (by index, not answer order)");

    use_mode(&cfg, "flaky");
    ok(embed_texts(&cfg, texts, 2, out), "429 then success: retried");
    use_mode(&cfg, "down");
    ok(!embed_texts(&cfg, texts, 2, out), "503 every time: gives up");
    use_mode(&cfg, "bad");
    ok(!embed_texts(&cfg, texts, 1, out), "malformed JSON fails");
    use_mode(&cfg, "dims");
    ok(!embed_texts(&cfg, texts, 1, out), "the wrong number of dimensions fails");
    use_mode(&cfg, "auth");
    ok(!embed_texts(&cfg, texts, 1, out), "no API key: 401 fails without retry");
    set(&cfg, "PLCCOACH_EMBEDDINGS_API_KEY", "sekrit");
    ok(embed_texts(&cfg, texts, 1, out), "with the API key as a bearer token");
    {
        char url[64];
        snprintf(url, sizeof(url), "http://127.0.0.1:%d/nothing-listens", 1);
        set(&cfg, "PLCCOACH_EMBEDDINGS_URL", url);
        ok(!embed_texts(&cfg, texts, 1, out), "connection refused: gives up after retries");
    }
    set(&cfg, "PLCCOACH_EMBEDDINGS", "local");
    ok(embed_texts(&cfg, texts, 3, out), "the local provider needs no server");

    for (i = 0; i < 70; i++)
        free(owned[i]);
    free(out);
    config_free(&cfg);
    return 0;
}
