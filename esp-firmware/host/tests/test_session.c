/* Resume bookkeeping through a dropped connection, close codes, the backoff schedule's bounds. */
#include <stdlib.h>

#include "cJSON.h"
#include "sf_protocol.h"
#include "sf_test.h"

static sf_server_msg_t parse(const char *json)
{
    sf_server_msg_t msg;
    sf_parse_server(json, strlen(json), &msg);
    return msg;
}

static bool same_json(const char *a, const char *b)
{
    cJSON *x = cJSON_Parse(a);
    cJSON *y = cJSON_Parse(b);
    bool same = x != NULL && y != NULL && cJSON_Compare(x, y, true);
    cJSON_Delete(x);
    cJSON_Delete(y);
    return same;
}

static int build_start(const sf_session_t *session, char *out, size_t cap)
{
    sf_start_t start = {.sample_rate = 16000, .encoding = SF_ENCODING_OPUS, .language = "en"};
    sf_session_fill_start(session, &start);
    return sf_build_start(&start, out, cap);
}

/* The device's audio: sample i of the session holds i % 30000, so a read shows where it came from. */
static void capture(sf_ring_t *ring, uint64_t samples)
{
    int16_t chunk[320];
    while (samples > 0) {
        size_t n = samples < 320 ? (size_t) samples : 320;
        for (size_t i = 0; i < n; i++) {
            chunk[i] = (int16_t) ((ring->written + i) % 30000);
        }
        sf_ring_write(ring, chunk, n);
        samples -= n;
    }
}

static void a_resume_after_a_dropped_connection_goes_on_where_the_router_is(void)
{
    static int16_t storage[16000 * 8];
    sf_ring_t ring;
    sf_ring_init(&ring, storage, sizeof(storage) / sizeof(storage[0]));
    sf_session_t session;
    sf_session_init(&session);
    char start[256];

    /* First socket: a new session. */
    CHECK(build_start(&session, start, sizeof(start)) > 0);
    CHECK(same_json("{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"opus\",\"language\":\"en\"}", start));
    sf_server_msg_t ready = parse("{\"type\":\"ready\",\"session_id\":\"s-1\",\"resumed\":false,\"audio_ms\":0}");
    sf_ready_plan_t plan = sf_session_on_ready(&session, &ready, 0);
    CHECK(!plan.resumed);
    CHECK_EQ_INT(0, plan.send_from_ms);
    capture(&ring, 16000 * 3);
    for (int i = 0; i < 150; i++) {
        sf_session_sent(&session, 20);
    }
    CHECK_EQ_INT(3000, session.sent_ms);
    sf_server_msg_t t0 = parse("{\"type\":\"transcript\",\"seq\":0,\"text\":\"one\"}");
    sf_server_msg_t t1 = parse("{\"type\":\"transcript\",\"seq\":1,\"text\":\"two\"}");
    CHECK(sf_session_on_result(&session, &t0) == SF_RESULT_NEW);
    CHECK(sf_session_on_result(&session, &t1) == SF_RESULT_NEW);

    /* The network goes; the device keeps capturing while it waits to reconnect. */
    CHECK(sf_close_action(1006, false) == SF_CLOSE_RESUME);
    capture(&ring, 16000 * 2);

    /* Second socket: resume with the session and the last seq it has. */
    CHECK(build_start(&session, start, sizeof(start)) > 0);
    CHECK(same_json("{\"type\":\"start\",\"session_id\":\"s-1\",\"last_seq\":1,\"sample_rate\":16000,"
                    "\"encoding\":\"opus\",\"language\":\"en\"}",
                    start));
    ready = parse("{\"type\":\"ready\",\"session_id\":\"s-1\",\"resumed\":true,\"audio_ms\":2600}");
    plan = sf_session_on_ready(&session, &ready, sf_samples_to_ms(sf_ring_oldest(&ring), 16000));
    CHECK(plan.resumed);
    CHECK(!plan.gap);
    CHECK_EQ_INT(2600, plan.send_from_ms);
    CHECK_EQ_INT(2600, session.sent_ms);
    int16_t resent[320];
    CHECK_EQ_INT(320, sf_ring_read(&ring, sf_ms_to_samples(plan.send_from_ms, 16000), resent, 320));
    CHECK_EQ_INT(41600 % 30000, resent[0]);
    CHECK_EQ_INT(41919 % 30000, resent[319]);

    /* The router replays what came after last_seq; a seq the device has is ignored. */
    sf_server_msg_t replay1 = parse("{\"type\":\"transcript\",\"seq\":1,\"text\":\"two\"}");
    sf_server_msg_t t2 = parse("{\"type\":\"transcript\",\"seq\":2,\"text\":\"three\"}");
    sf_server_msg_t failed3 = parse("{\"type\":\"error\",\"code\":\"transcription_failed\",\"message\":\"m\",\"seq\":3}");
    sf_server_msg_t general = parse("{\"type\":\"error\",\"code\":\"invalid_packet\",\"message\":\"m\"}");
    CHECK(sf_session_on_result(&session, &replay1) == SF_RESULT_DUPLICATE);
    CHECK(sf_session_on_result(&session, &t2) == SF_RESULT_NEW);
    CHECK(sf_session_on_result(&session, &failed3) == SF_RESULT_NEW);
    CHECK(sf_session_on_result(&session, &general) == SF_RESULT_NONE);
    CHECK(sf_session_on_result(&session, &t2) == SF_RESULT_DUPLICATE);
    CHECK_EQ_INT(3, session.last_seq);
    CHECK_EQ_INT(4, session.results);
    CHECK_EQ_INT(2, session.duplicates);
}

static void a_router_without_audio_ms_resumes_after_what_was_sent(void)
{
    sf_session_t session;
    sf_session_init(&session);
    sf_server_msg_t ready = parse("{\"type\":\"ready\",\"session_id\":\"s-2\",\"resumed\":false}");
    sf_session_on_ready(&session, &ready, 0);
    sf_session_sent(&session, 1400);
    ready = parse("{\"type\":\"ready\",\"session_id\":\"s-2\",\"resumed\":true}");
    sf_ready_plan_t plan = sf_session_on_ready(&session, &ready, 0);
    CHECK(plan.resumed && !plan.gap);
    CHECK_EQ_INT(1400, plan.send_from_ms);
}

static void audio_the_ring_no_longer_holds_is_a_gap(void)
{
    sf_session_t session;
    sf_session_init(&session);
    sf_server_msg_t ready = parse("{\"type\":\"ready\",\"session_id\":\"s-3\",\"resumed\":false}");
    sf_session_on_ready(&session, &ready, 0);
    sf_session_sent(&session, 20000);
    ready = parse("{\"type\":\"ready\",\"session_id\":\"s-3\",\"resumed\":true,\"audio_ms\":9000}");
    sf_ready_plan_t plan = sf_session_on_ready(&session, &ready, 12000);
    CHECK(plan.gap);
    CHECK_EQ_INT(12000 + SF_GAP_MARGIN_MS, plan.send_from_ms);

    /* The device reconnects at once and says where its audio starts; the router reports the gap. */
    char start[256];
    CHECK(build_start(&session, start, sizeof(start)) > 0);
    CHECK(same_json("{\"type\":\"start\",\"session_id\":\"s-3\",\"last_seq\":-1,\"sample_rate\":16000,"
                    "\"encoding\":\"opus\",\"language\":\"en\",\"audio_ms\":13000}",
                    start));
    ready = parse("{\"type\":\"ready\",\"session_id\":\"s-3\",\"resumed\":true,\"audio_ms\":9000}");
    plan = sf_session_on_ready(&session, &ready, 12500);
    CHECK(!plan.gap);
    CHECK_EQ_INT(13000, plan.send_from_ms);
    CHECK(build_start(&session, start, sizeof(start)) > 0);
    CHECK(strstr(start, "audio_ms") == NULL);
}

static void an_expired_session_starts_anew_and_its_seqs_count_again(void)
{
    sf_session_t session;
    sf_session_init(&session);
    sf_server_msg_t ready = parse("{\"type\":\"ready\",\"session_id\":\"old\",\"resumed\":false}");
    sf_session_on_ready(&session, &ready, 0);
    sf_server_msg_t t = parse("{\"type\":\"transcript\",\"seq\":4,\"text\":\"x\"}");
    sf_session_on_result(&session, &t);

    CHECK(sf_close_action(4404, false) == SF_CLOSE_NEW_SESSION);
    sf_session_forget(&session);
    char start[256];
    CHECK(build_start(&session, start, sizeof(start)) > 0);
    CHECK(strstr(start, "session_id") == NULL && strstr(start, "last_seq") == NULL);
    ready = parse("{\"type\":\"ready\",\"session_id\":\"new\",\"resumed\":false}");
    sf_ready_plan_t plan = sf_session_on_ready(&session, &ready, 0);
    CHECK(!plan.resumed);
    sf_server_msg_t first = parse("{\"type\":\"transcript\",\"seq\":0,\"text\":\"y\"}");
    CHECK(sf_session_on_result(&session, &first) == SF_RESULT_NEW);
    CHECK_EQ_STR("new", session.session_id);
}

static void a_ready_for_another_session_is_a_new_session(void)
{
    sf_session_t session;
    sf_session_init(&session);
    sf_server_msg_t ready = parse("{\"type\":\"ready\",\"session_id\":\"a\",\"resumed\":false}");
    sf_session_on_ready(&session, &ready, 0);
    sf_session_sent(&session, 5000);
    sf_server_msg_t t = parse("{\"type\":\"transcript\",\"seq\":2,\"text\":\"x\"}");
    sf_session_on_result(&session, &t);
    ready = parse("{\"type\":\"ready\",\"session_id\":\"b\",\"resumed\":true,\"audio_ms\":4000}");
    sf_ready_plan_t plan = sf_session_on_ready(&session, &ready, 0);
    CHECK(!plan.resumed);
    CHECK_EQ_INT(0, plan.send_from_ms);
    CHECK_EQ_INT(-1, session.last_seq);
    CHECK_EQ_INT(0, session.sent_ms);
}

static void close_codes_map_to_what_the_device_does(void)
{
    CHECK(sf_close_action(1000, true) == SF_CLOSE_DONE);
    CHECK(sf_close_action(1000, false) == SF_CLOSE_RESUME);
    CHECK(sf_close_action(1006, true) == SF_CLOSE_RESUME);
    CHECK(sf_close_action(4503, false) == SF_CLOSE_RESUME);
    CHECK(sf_close_action(4420, false) == SF_CLOSE_RESUME);
    CHECK(sf_close_action(4408, false) == SF_CLOSE_RESUME);
    CHECK(sf_close_action(4411, false) == SF_CLOSE_RESUME);
    CHECK(sf_close_action(4429, false) == SF_CLOSE_RESUME);
    CHECK(sf_close_action(4410, false) == SF_CLOSE_NEW_SESSION);
    CHECK(sf_close_action(4404, false) == SF_CLOSE_NEW_SESSION);
    CHECK(sf_close_action(4401, false) == SF_CLOSE_RETRY_SLOWLY);
    CHECK(sf_close_action(4400, false) == SF_CLOSE_RETRY_SLOWLY);
    CHECK(sf_close_action(4415, false) == SF_CLOSE_RETRY_SLOWLY);
}

static void backoff_delays_stay_between_half_the_ceiling_and_the_ceiling(void)
{
    sf_backoff_t backoff;
    sf_backoff_init(&backoff, 500, 30000, 12345);
    uint32_t expected_ceiling = 500;
    for (int attempt = 0; attempt < 200; attempt++) {
        CHECK_EQ_INT(expected_ceiling, sf_backoff_ceiling(&backoff));
        uint32_t delay = sf_backoff_next(&backoff);
        CHECK(delay >= expected_ceiling / 2);
        CHECK(delay <= expected_ceiling);
        CHECK(delay <= 30000);
        expected_ceiling = expected_ceiling * 2 > 30000 ? 30000 : expected_ceiling * 2;
    }
    CHECK_EQ_INT(30000, sf_backoff_ceiling(&backoff));
}

static void backoff_resets_after_a_successful_connection(void)
{
    sf_backoff_t backoff;
    sf_backoff_init(&backoff, 500, 30000, 7);
    for (int i = 0; i < 10; i++) {
        sf_backoff_next(&backoff);
    }
    sf_backoff_reset(&backoff);
    uint32_t delay = sf_backoff_next(&backoff);
    CHECK(delay >= 250 && delay <= 500);
}

static void backoff_jitter_spreads_devices_that_lost_the_same_router(void)
{
    uint32_t delays[100];
    for (uint32_t device = 0; device < 100; device++) {
        sf_backoff_t backoff;
        sf_backoff_init(&backoff, 1000, 8000, device * 2654435761u + 1);
        for (int i = 0; i < 3; i++) {
            sf_backoff_next(&backoff);
        }
        delays[device] = sf_backoff_next(&backoff); /* ceiling 8000: between 4000 and 8000 */
    }
    int distinct = 0;
    uint32_t low = UINT32_MAX, high = 0;
    for (int i = 0; i < 100; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++) {
            seen = seen || delays[j] == delays[i];
        }
        distinct += seen ? 0 : 1;
        low = delays[i] < low ? delays[i] : low;
        high = delays[i] > high ? delays[i] : high;
    }
    CHECK(distinct > 80);
    CHECK(low >= 4000 && high <= 8000);
    CHECK(high - low > 2000);
}

static void backoff_odd_settings_stay_sane(void)
{
    sf_backoff_t backoff;
    sf_backoff_init(&backoff, 0, 0, 0);
    CHECK(sf_backoff_next(&backoff) <= 1);
    sf_backoff_init(&backoff, 5000, 1000, 0);
    uint32_t delay = sf_backoff_next(&backoff);
    CHECK(delay >= 2500 && delay <= 5000);
    sf_backoff_init(&backoff, 1, UINT32_MAX, 3);
    for (int i = 0; i < 100; i++) {
        sf_backoff_next(&backoff);
    }
    CHECK_EQ_INT(UINT32_MAX, sf_backoff_ceiling(&backoff));
}

int main(int argc, char **argv)
{
    static const sf_test_case cases[] = {
        TEST_CASE(a_resume_after_a_dropped_connection_goes_on_where_the_router_is),
        TEST_CASE(a_router_without_audio_ms_resumes_after_what_was_sent),
        TEST_CASE(audio_the_ring_no_longer_holds_is_a_gap),
        TEST_CASE(an_expired_session_starts_anew_and_its_seqs_count_again),
        TEST_CASE(a_ready_for_another_session_is_a_new_session),
        TEST_CASE(close_codes_map_to_what_the_device_does),
        TEST_CASE(backoff_delays_stay_between_half_the_ceiling_and_the_ceiling),
        TEST_CASE(backoff_resets_after_a_successful_connection),
        TEST_CASE(backoff_jitter_spreads_devices_that_lost_the_same_router),
        TEST_CASE(backoff_odd_settings_stay_sane),
    };
    return sf_test_run("session", cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
