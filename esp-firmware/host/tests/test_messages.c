/* The device's messages against the shared examples in docs/protocol/, and the router's messages:
 * every example, then malformed and unexpected ones. */
#include <dirent.h>
#include <stdlib.h>

#include "cJSON.h"
#include "sf_protocol.h"
#include "sf_test.h"

#ifndef SF_PROTOCOL_EXAMPLES
#error "SF_PROTOCOL_EXAMPLES must name docs/protocol"
#endif

static char *read_example(const char *file)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", SF_PROTOCOL_EXAMPLES, file);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "  cannot open %s\n", path);
        return NULL;
    }
    static char buffer[8192];
    size_t n = fread(buffer, 1, sizeof(buffer) - 1, f);
    fclose(f);
    while (n > 0 && (buffer[n - 1] == '\n' || buffer[n - 1] == '\r' || buffer[n - 1] == ' ')) {
        n--;
    }
    buffer[n] = '\0';
    char *copy = malloc(n + 1);
    memcpy(copy, buffer, n + 1);
    return copy;
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

static const char *string_or_null(const cJSON *object, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Builds the start the example shows from its fields, as the firmware would from its configuration. */
static void check_start_example(const char *file, const char *text, const cJSON *example)
{
    const char *consensus[8];
    sf_start_t start = {0};
    start.session_id = string_or_null(example, "session_id");
    const cJSON *last = cJSON_GetObjectItemCaseSensitive(example, "last_seq");
    start.last_seq = cJSON_IsNumber(last) ? (int64_t) last->valuedouble : (start.session_id ? -1 : -1);
    start.sample_rate = cJSON_GetObjectItemCaseSensitive(example, "sample_rate")->valueint;
    const char *encoding = string_or_null(example, "encoding");
    start.encoding = strcmp(encoding, "opus") == 0 ? SF_ENCODING_OPUS : SF_ENCODING_PCM_S16LE;
    CHECK_EQ_STR(encoding, sf_encoding_name(start.encoding));
    start.language = string_or_null(example, "language");
    start.policy = string_or_null(example, "policy");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(example, "consensus");
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        consensus[start.consensus_count++] = item->valuestring;
    }
    start.consensus = consensus;
    const cJSON *audio = cJSON_GetObjectItemCaseSensitive(example, "audio_ms");
    start.has_audio_ms = cJSON_IsNumber(audio);
    start.audio_ms = start.has_audio_ms ? (int64_t) audio->valuedouble : 0;

    char built[512];
    int n = sf_build_start(&start, built, sizeof(built));
    CHECK(n > 0);
    if (n > 0 && !same_json(text, built)) {
        fprintf(stderr, "  %s: built %s\n", file, built);
        CHECK(!"the built start equals the example");
    }
}

static void check_server_example(const char *file, const char *text, const cJSON *example)
{
    sf_server_msg_t msg;
    sf_msg_kind_t kind = sf_parse_server(text, strlen(text), &msg);
    const char *type = string_or_null(example, "type");
    if (kind == SF_MSG_MALFORMED) {
        fprintf(stderr, "  %s: %s\n", file, msg.problem);
    }
    CHECK(kind == (strcmp(type, "ready") == 0        ? SF_MSG_READY
                   : strcmp(type, "transcript") == 0 ? SF_MSG_TRANSCRIPT
                                                     : SF_MSG_ERROR));
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(example, "seq");
    CHECK(msg.has_seq == cJSON_IsNumber(seq));
    if (cJSON_IsNumber(seq)) {
        CHECK_EQ_INT((long long) seq->valuedouble, msg.seq);
    }
}

/* Every file in docs/protocol/ is a message the device either builds or parses, exactly. */
static void every_shared_example_is_built_or_parsed_exactly(void)
{
    DIR *dir = opendir(SF_PROTOCOL_EXAMPLES);
    CHECK(dir != NULL);
    if (dir == NULL) {
        return;
    }
    int examples = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        size_t len = strlen(entry->d_name);
        if (len < 6 || strcmp(entry->d_name + len - 5, ".json") != 0) {
            continue;
        }
        char *text = read_example(entry->d_name);
        cJSON *example = cJSON_Parse(text);
        CHECK(example != NULL);
        const char *type = example ? string_or_null(example, "type") : NULL;
        char built[64];
        if (type == NULL) {
            CHECK(!"an example has a type");
        } else if (strcmp(type, "start") == 0) {
            check_start_example(entry->d_name, text, example);
        } else if (strcmp(type, "flush") == 0) {
            CHECK(sf_build_flush(built, sizeof(built)) > 0 && same_json(text, built));
        } else if (strcmp(type, "stop") == 0) {
            CHECK(sf_build_stop(built, sizeof(built)) > 0 && same_json(text, built));
        } else if (strcmp(type, "ready") == 0 || strcmp(type, "transcript") == 0 || strcmp(type, "error") == 0) {
            check_server_example(entry->d_name, text, example);
        } else {
            fprintf(stderr, "  %s: type %s is not known to the device\n", entry->d_name, type);
            CHECK(!"every example type is known to the device");
        }
        examples++;
        cJSON_Delete(example);
        free(text);
    }
    closedir(dir);
    CHECK(examples >= 10);
}

static void the_opus_start_example_is_what_the_firmware_sends_by_default(void)
{
    char *text = read_example("start-opus.json");
    sf_start_t start = {.session_id = NULL, .last_seq = -1, .sample_rate = 16000, .encoding = SF_ENCODING_OPUS,
                        .language = "en", .policy = "balanced"};
    char built[256];
    CHECK(sf_build_start(&start, built, sizeof(built)) > 0);
    CHECK(same_json(text, built));
    free(text);
}

static void the_ready_example_parses(void)
{
    char *text = read_example("ready.json");
    sf_server_msg_t msg;
    CHECK(sf_parse_server(text, strlen(text), &msg) == SF_MSG_READY);
    CHECK_EQ_STR("3f1c6a0e-8d2b-4c1e-9a57-1b2c3d4e5f60", msg.session_id);
    CHECK(!msg.resumed);
    free(text);
}

static void the_transcript_example_parses(void)
{
    char *text = read_example("transcript.json");
    sf_server_msg_t msg;
    CHECK(sf_parse_server(text, strlen(text), &msg) == SF_MSG_TRANSCRIPT);
    CHECK_EQ_STR("1763712000123-0", msg.id);
    CHECK_EQ_INT(5, msg.seq);
    CHECK_EQ_STR("turn on the kitchen lights", msg.text);
    CHECK(msg.confidence > 0.929 && msg.confidence < 0.931);
    CHECK_EQ_STR("deepgram", msg.provider);
    CHECK_EQ_INT(10240, msg.start_ms);
    CHECK_EQ_INT(11980, msg.end_ms);
    free(text);
}

static void the_error_examples_parse_with_and_without_seq(void)
{
    char *text = read_example("error.json");
    sf_server_msg_t msg;
    CHECK(sf_parse_server(text, strlen(text), &msg) == SF_MSG_ERROR);
    CHECK_EQ_STR("unsupported_sample_rate", msg.code);
    CHECK(!msg.has_seq);
    free(text);
    text = read_example("error-seq.json");
    CHECK(sf_parse_server(text, strlen(text), &msg) == SF_MSG_ERROR);
    CHECK_EQ_STR("transcription_failed", msg.code);
    CHECK(msg.has_seq);
    CHECK_EQ_INT(6, msg.seq);
    free(text);
}

static void a_resumed_ready_carries_the_audio_position(void)
{
    const char *text = "{\"type\":\"ready\",\"session_id\":\"s-1\",\"resumed\":true,\"audio_ms\":5220}";
    sf_server_msg_t msg;
    CHECK(sf_parse_server(text, strlen(text), &msg) == SF_MSG_READY);
    CHECK(msg.resumed);
    CHECK(msg.has_audio_ms);
    CHECK_EQ_INT(5220, msg.audio_ms);
}

static void a_resume_start_carries_session_and_last_seq(void)
{
    sf_start_t start = {.session_id = "s-1", .last_seq = 7, .sample_rate = 16000, .encoding = SF_ENCODING_OPUS,
                        .language = "en"};
    char built[256];
    CHECK(sf_build_start(&start, built, sizeof(built)) > 0);
    CHECK(same_json("{\"type\":\"start\",\"session_id\":\"s-1\",\"last_seq\":7,\"sample_rate\":16000,"
                    "\"encoding\":\"opus\",\"language\":\"en\"}",
                    built));
    start.has_audio_ms = true;
    start.audio_ms = 9000;
    CHECK(sf_build_start(&start, built, sizeof(built)) > 0);
    CHECK(strstr(built, "\"audio_ms\":9000") != NULL);
}

static void inconsistent_or_oversized_starts_are_refused(void)
{
    char built[256];
    sf_start_t orphan_seq = {.session_id = NULL, .last_seq = 3, .sample_rate = 16000};
    CHECK_EQ_INT(-1, sf_build_start(&orphan_seq, built, sizeof(built)));
    sf_start_t orphan_audio = {.session_id = NULL, .last_seq = -1, .sample_rate = 16000, .has_audio_ms = true};
    CHECK_EQ_INT(-1, sf_build_start(&orphan_audio, built, sizeof(built)));
    const char *one[] = {"whisper"};
    sf_start_t lonely = {.last_seq = -1, .sample_rate = 16000, .consensus = one, .consensus_count = 1};
    CHECK_EQ_INT(-1, sf_build_start(&lonely, built, sizeof(built)));
    sf_start_t fine = {.last_seq = -1, .sample_rate = 16000, .language = "en"};
    CHECK_EQ_INT(-1, sf_build_start(&fine, built, 20));
    CHECK_EQ_INT(-1, sf_build_flush(built, 5));
    CHECK(sf_build_start(&fine, built, sizeof(built)) > 0);
}

static void configured_strings_are_escaped(void)
{
    sf_start_t start = {.last_seq = -1, .sample_rate = 16000, .language = "en", .policy = "a\"b\\c\n"};
    char built[256];
    CHECK(sf_build_start(&start, built, sizeof(built)) > 0);
    cJSON *parsed = cJSON_Parse(built);
    CHECK(parsed != NULL);
    CHECK_EQ_STR("a\"b\\c\n", string_or_null(parsed, "policy"));
    cJSON_Delete(parsed);
}

static void malformed_messages_are_reported_not_trusted(void)
{
    static const char *const cases[] = {
        "",
        "not json",
        "{\"type\":\"transcript\",\"seq\":1,\"text\":\"ab",
        "[1,2,3]",
        "{}",
        "{\"type\":5}",
        "{\"type\":null}",
        "{\"type\":\"ready\"}",
        "{\"type\":\"ready\",\"session_id\":\"\"}",
        "{\"type\":\"ready\",\"session_id\":\"s\",\"resumed\":\"yes\"}",
        "{\"type\":\"ready\",\"session_id\":\"s\",\"audio_ms\":-1}",
        "{\"type\":\"ready\",\"session_id\":\"s\",\"audio_ms\":1.5}",
        "{\"type\":\"ready\",\"session_id\":\"s\",\"audio_ms\":\"100\"}",
        "{\"type\":\"ready\",\"session_id\":"
        "\"0123456789012345678901234567890123456789012345678901234567890123456789\"}",
        "{\"type\":\"transcript\",\"text\":\"no seq\"}",
        "{\"type\":\"transcript\",\"seq\":-1,\"text\":\"x\"}",
        "{\"type\":\"transcript\",\"seq\":\"5\",\"text\":\"x\"}",
        "{\"type\":\"transcript\",\"seq\":2.5,\"text\":\"x\"}",
        "{\"type\":\"transcript\",\"seq\":1e300,\"text\":\"x\"}",
        "{\"type\":\"transcript\",\"seq\":1}",
        "{\"type\":\"transcript\",\"seq\":1,\"text\":42}",
        "{\"type\":\"transcript\",\"seq\":1,\"text\":\"x\",\"confidence\":\"high\"}",
        "{\"type\":\"transcript\",\"seq\":1,\"text\":\"x\",\"start_ms\":-5}",
        "{\"type\":\"transcript\",\"seq\":1,\"text\":\"x\",\"provider\":7}",
        "{\"type\":\"error\"}",
        "{\"type\":\"error\",\"code\":\"\"}",
        "{\"type\":\"error\",\"code\":3}",
        "{\"type\":\"error\",\"code\":\"x\",\"seq\":\"6\"}",
        "{\"type\":\"error\",\"code\":\"x\",\"message\":[]}",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sf_server_msg_t msg;
        sf_msg_kind_t kind = sf_parse_server(cases[i], strlen(cases[i]), &msg);
        if (kind != SF_MSG_MALFORMED || msg.problem == NULL) {
            fprintf(stderr, "  accepted: %s\n", cases[i]);
        }
        CHECK(kind == SF_MSG_MALFORMED);
        CHECK(msg.problem != NULL);
    }
}

static void an_unexpected_type_is_unknown_and_ignored(void)
{
    const char *text = "{\"type\":\"pong\",\"whatever\":{\"nested\":[1,2]}}";
    sf_server_msg_t msg;
    CHECK(sf_parse_server(text, strlen(text), &msg) == SF_MSG_UNKNOWN);
}

static void unknown_fields_of_known_types_are_ignored(void)
{
    const char *text = "{\"type\":\"transcript\",\"seq\":3,\"text\":\"hi\",\"words\":[{\"w\":\"hi\"}],\"future\":true}";
    sf_server_msg_t msg;
    CHECK(sf_parse_server(text, strlen(text), &msg) == SF_MSG_TRANSCRIPT);
    CHECK_EQ_INT(3, msg.seq);
}

static void a_length_limits_what_is_read(void)
{
    /* The buffer goes on past len (a reused receive buffer): only len bytes count. */
    const char *text = "{\"type\":\"flush\"}{\"type\":\"ready\"";
    sf_server_msg_t msg;
    CHECK(sf_parse_server(text, 16, &msg) == SF_MSG_UNKNOWN);
    CHECK(sf_parse_server(text + 16, strlen(text) - 16, &msg) == SF_MSG_MALFORMED);
}

static void deep_nesting_is_refused_without_crashing(void)
{
    static char deep[6000];
    size_t n = 0;
    n += (size_t) snprintf(deep, sizeof(deep), "{\"type\":\"transcript\",\"seq\":1,\"text\":\"x\",\"a\":");
    while (n < 4000) {
        deep[n++] = '[';
    }
    deep[n] = '\0';
    sf_server_msg_t msg;
    CHECK(sf_parse_server(deep, n, &msg) == SF_MSG_MALFORMED);
}

static void a_long_transcript_is_cut_on_a_character_boundary(void)
{
    static char json[8000];
    size_t n = (size_t) snprintf(json, sizeof(json), "{\"type\":\"transcript\",\"seq\":9,\"text\":\"");
    for (int i = 0; i < 1500; i++) {
        json[n++] = (char) 0xC3; /* é, two bytes: 3000 bytes of text */
        json[n++] = (char) 0xA9;
    }
    n += (size_t) snprintf(json + n, sizeof(json) - n, "\"}");
    sf_server_msg_t msg;
    CHECK(sf_parse_server(json, n, &msg) == SF_MSG_TRANSCRIPT);
    CHECK(msg.text_truncated);
    size_t len = strlen(msg.text);
    CHECK(len <= SF_TEXT_MAX && len >= SF_TEXT_MAX - 1);
    CHECK_EQ_INT(0, len % 2);
    CHECK((unsigned char) msg.text[len - 1] == 0xA9);
}

static void escapes_in_text_are_decoded(void)
{
    const char *text = "{\"type\":\"transcript\",\"seq\":0,\"text\":\"say \\\"hi\\\" \\u00e9\"}";
    sf_server_msg_t msg;
    CHECK(sf_parse_server(text, strlen(text), &msg) == SF_MSG_TRANSCRIPT);
    CHECK_EQ_STR("say \"hi\" \xc3\xa9", msg.text);
    CHECK(!msg.text_truncated);
}

int main(int argc, char **argv)
{
    static const sf_test_case cases[] = {
        TEST_CASE(every_shared_example_is_built_or_parsed_exactly),
        TEST_CASE(the_opus_start_example_is_what_the_firmware_sends_by_default),
        TEST_CASE(the_ready_example_parses),
        TEST_CASE(the_transcript_example_parses),
        TEST_CASE(the_error_examples_parse_with_and_without_seq),
        TEST_CASE(a_resumed_ready_carries_the_audio_position),
        TEST_CASE(a_resume_start_carries_session_and_last_seq),
        TEST_CASE(inconsistent_or_oversized_starts_are_refused),
        TEST_CASE(configured_strings_are_escaped),
        TEST_CASE(malformed_messages_are_reported_not_trusted),
        TEST_CASE(an_unexpected_type_is_unknown_and_ignored),
        TEST_CASE(unknown_fields_of_known_types_are_ignored),
        TEST_CASE(a_length_limits_what_is_read),
        TEST_CASE(deep_nesting_is_refused_without_crashing),
        TEST_CASE(a_long_transcript_is_cut_on_a_character_boundary),
        TEST_CASE(escapes_in_text_are_decoded),
    };
    return sf_test_run("messages", cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
