/* Tests for util/retry: the three clients' pauses from one formula. */
#include "config.h"

#include "tap/basic.h"
#include "util/retry.h"

int main(void)
{
    const struct retry_policy s3 = {3, 200, 2, 0, false};
    const struct retry_policy embed = {4, 250, 1, 0, false};
    const struct retry_policy llm = {0, 250, 1, 250L << 10, true};
    const struct retry_policy fixed = {3, 100, 1, 0, false};
    int i, in_range = 0;
    long d;

    plan(12);

    is_int(200, retry_delay_ms(&s3, 1, -1), "S3: 200 ms after the first attempt");
    is_int(800, retry_delay_ms(&s3, 2, -1), "S3: 4x after the second");
    ok(retry_more(&s3, 2) && !retry_more(&s3, 3), "S3: three attempts in all");
    is_int(250, retry_delay_ms(&embed, 1, -1), "embeddings: 250 ms");
    is_int(1000, retry_delay_ms(&embed, 3, -1), "embeddings: doubling, 1 s after the third");
    ok(retry_more(&embed, 3) && !retry_more(&embed, 4), "embeddings: four attempts in all");
    for (i = 0; i < 200; i++) {
        d = retry_delay_ms(&llm, 3, -1); /* base 1000: 500..1000 */
        in_range += d >= 500 && d <= 1000;
    }
    is_int(200, in_range, "model: jittered between half and the whole pause");
    d = retry_delay_ms(&llm, 40, -1);
    ok(d >= (250L << 10) / 2 && d <= 250L << 10, "model: capped at max_ms however many attempts");
    is_int(5000, retry_delay_ms(&llm, 1, 5000), "a longer Retry-After wins");
    is_int(100, retry_delay_ms(&fixed, 1, 50), "a shorter one does not");
    ok(retry_delay_ms(&fixed, 1000, -1) > 0, "no overflow without a cap");
    sleep_ms(0);
    sleep_ms(-5);
    ok(1, "sleep_ms returns at once for no pause");
    return 0;
}
