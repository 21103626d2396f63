/*
 * What a session's cookie is called; see session.h.
 */
#include "config.h"

#include "auth/session.h"
#include "util/cfg.h"
#include "util/url.h"

bool session_cookie_secure(const struct config *cfg)
{
    return !url_is_loopback_http(cfg->public_url);
}

const char *session_cookie_name(const struct config *cfg)
{
    return session_cookie_secure(cfg) ? "__Host-plc_session" : "plc_session";
}
