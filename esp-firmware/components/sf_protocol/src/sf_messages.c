/* Building the device's messages (no heap: snprintf into the caller's buffer) and parsing the router's (cJSON). */
#include "sf_protocol.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cJSON.h"

/* Integers travel as JSON numbers; beyond 2^53 a double no longer holds every integer. */
#define SF_MAX_SAFE_INTEGER 9007199254740991.0

typedef struct {
    char *out;
    size_t cap;
    size_t len;
    bool overflow;
} writer_t;

static void put(writer_t *w, const char *format, ...)
{
    if (w->overflow) {
        return;
    }
    va_list args;
    va_start(args, format);
    int n = vsnprintf(w->out + w->len, w->cap - w->len, format, args);
    va_end(args);
    if (n < 0 || (size_t) n >= w->cap - w->len) {
        w->overflow = true;
        return;
    }
    w->len += (size_t) n;
}

/* A JSON string literal: quotes, backslashes and control characters escaped; other bytes (UTF-8) as they are. */
static void put_string(writer_t *w, const char *value)
{
    put(w, "\"");
    for (const unsigned char *p = (const unsigned char *) value; *p != '\0' && !w->overflow; p++) {
        if (*p == '"' || *p == '\\') {
            put(w, "\\%c", *p);
        } else if (*p < 0x20) {
            put(w, "\\u%04x", *p);
        } else {
            put(w, "%c", *p);
        }
    }
    put(w, "\"");
}

static int finish(writer_t *w)
{
    return w->overflow ? -1 : (int) w->len;
}

const char *sf_encoding_name(sf_encoding_t encoding)
{
    return encoding == SF_ENCODING_OPUS ? "opus" : "pcm_s16le";
}

int sf_build_start(const sf_start_t *start, char *out, size_t cap)
{
    if (out == NULL || cap == 0) {
        return -1;
    }
    bool resume = start->session_id != NULL && start->session_id[0] != '\0';
    if (!resume && (start->last_seq >= 0 || start->has_audio_ms)) {
        return -1;
    }
    if (start->consensus_count == 1 || start->last_seq < -1 || (start->has_audio_ms && start->audio_ms < 0)) {
        return -1;
    }
    writer_t w = {out, cap, 0, false};
    put(&w, "{\"type\":\"start\"");
    if (resume) {
        put(&w, ",\"session_id\":");
        put_string(&w, start->session_id);
        put(&w, ",\"last_seq\":%lld", (long long) start->last_seq);
    }
    put(&w, ",\"sample_rate\":%d,\"encoding\":", start->sample_rate);
    put_string(&w, sf_encoding_name(start->encoding));
    if (start->language != NULL) {
        put(&w, ",\"language\":");
        put_string(&w, start->language);
    }
    if (start->policy != NULL) {
        put(&w, ",\"policy\":");
        put_string(&w, start->policy);
    }
    if (start->consensus_count > 0) {
        put(&w, ",\"consensus\":[");
        for (size_t i = 0; i < start->consensus_count; i++) {
            put(&w, i == 0 ? "" : ",");
            put_string(&w, start->consensus[i]);
        }
        put(&w, "]");
    }
    if (start->has_audio_ms) {
        put(&w, ",\"audio_ms\":%lld", (long long) start->audio_ms);
    }
    put(&w, "}");
    return finish(&w);
}

int sf_build_flush(char *out, size_t cap)
{
    writer_t w = {out, cap, 0, out == NULL || cap == 0};
    put(&w, "{\"type\":\"flush\"}");
    return finish(&w);
}

int sf_build_stop(char *out, size_t cap)
{
    writer_t w = {out, cap, 0, out == NULL || cap == 0};
    put(&w, "{\"type\":\"stop\"}");
    return finish(&w);
}

/* ---------------------------------------------------------------- parsing */

typedef enum { FIELD_ABSENT, FIELD_OK, FIELD_BAD } field_t;

/* Copies at most cap bytes, never cutting a UTF-8 sequence in half; returns whether it all fitted. */
static bool copy_utf8(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    bool fits = n <= cap;
    if (!fits) {
        n = cap;
        while (n > 0 && ((unsigned char) src[n] & 0xC0) == 0x80) {
            n--; /* src[n] continues a sequence: cut before the sequence starts */
        }
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    return fits;
}

static field_t string_field(const cJSON *object, const char *name, char *dst, size_t cap, bool *truncated)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    if (item == NULL || cJSON_IsNull(item)) {
        return FIELD_ABSENT;
    }
    if (!cJSON_IsString(item) || item->valuestring == NULL) {
        return FIELD_BAD;
    }
    bool fits = copy_utf8(dst, cap, item->valuestring);
    if (truncated != NULL) {
        *truncated = !fits;
    }
    return FIELD_OK;
}

static field_t integer_field(const cJSON *object, const char *name, int64_t min, int64_t *value)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    if (item == NULL || cJSON_IsNull(item)) {
        return FIELD_ABSENT;
    }
    if (!cJSON_IsNumber(item)) {
        return FIELD_BAD;
    }
    double v = item->valuedouble;
    if (!isfinite(v) || v != floor(v) || fabs(v) > SF_MAX_SAFE_INTEGER || v < (double) min) {
        return FIELD_BAD;
    }
    *value = (int64_t) v;
    return FIELD_OK;
}

static sf_msg_kind_t malformed(sf_server_msg_t *msg, const char *problem)
{
    msg->kind = SF_MSG_MALFORMED;
    msg->problem = problem;
    return msg->kind;
}

static sf_msg_kind_t parse_ready(const cJSON *root, sf_server_msg_t *msg)
{
    bool truncated = false;
    if (string_field(root, "session_id", msg->session_id, SF_SESSION_ID_MAX, &truncated) != FIELD_OK
        || truncated || msg->session_id[0] == '\0') {
        return malformed(msg, "ready needs a session_id of 1 to 64 characters");
    }
    const cJSON *resumed = cJSON_GetObjectItemCaseSensitive(root, "resumed");
    if (resumed != NULL && !cJSON_IsBool(resumed)) {
        return malformed(msg, "ready.resumed must be a boolean");
    }
    msg->resumed = cJSON_IsTrue(resumed);
    field_t audio = integer_field(root, "audio_ms", 0, &msg->audio_ms);
    if (audio == FIELD_BAD) {
        return malformed(msg, "ready.audio_ms must be an integer of at least 0");
    }
    msg->has_audio_ms = audio == FIELD_OK;
    msg->kind = SF_MSG_READY;
    return msg->kind;
}

static sf_msg_kind_t parse_transcript(const cJSON *root, sf_server_msg_t *msg)
{
    if (integer_field(root, "seq", 0, &msg->seq) != FIELD_OK) {
        return malformed(msg, "transcript needs a seq: an integer of at least 0");
    }
    msg->has_seq = true;
    if (string_field(root, "text", msg->text, SF_TEXT_MAX, &msg->text_truncated) != FIELD_OK) {
        return malformed(msg, "transcript needs a string text");
    }
    bool truncated = false;
    if (string_field(root, "id", msg->id, SF_RESULT_ID_MAX, &truncated) == FIELD_BAD
        || string_field(root, "provider", msg->provider, SF_PROVIDER_MAX, &truncated) == FIELD_BAD) {
        return malformed(msg, "transcript id and provider must be strings");
    }
    const cJSON *confidence = cJSON_GetObjectItemCaseSensitive(root, "confidence");
    if (confidence != NULL && !cJSON_IsNull(confidence)) {
        if (!cJSON_IsNumber(confidence) || !isfinite(confidence->valuedouble)) {
            return malformed(msg, "transcript confidence must be a number");
        }
        msg->confidence = confidence->valuedouble;
    }
    if (integer_field(root, "start_ms", 0, &msg->start_ms) == FIELD_BAD
        || integer_field(root, "end_ms", 0, &msg->end_ms) == FIELD_BAD) {
        return malformed(msg, "transcript start_ms and end_ms must be integers of at least 0");
    }
    msg->kind = SF_MSG_TRANSCRIPT;
    return msg->kind;
}

static sf_msg_kind_t parse_error(const cJSON *root, sf_server_msg_t *msg)
{
    bool truncated = false;
    if (string_field(root, "code", msg->code, SF_CODE_MAX, &truncated) != FIELD_OK || msg->code[0] == '\0') {
        return malformed(msg, "error needs a string code");
    }
    if (string_field(root, "message", msg->message, SF_MESSAGE_MAX, &truncated) == FIELD_BAD) {
        return malformed(msg, "error message must be a string");
    }
    field_t seq = integer_field(root, "seq", 0, &msg->seq);
    if (seq == FIELD_BAD) {
        return malformed(msg, "error seq must be an integer of at least 0");
    }
    msg->has_seq = seq == FIELD_OK;
    msg->kind = SF_MSG_ERROR;
    return msg->kind;
}

sf_msg_kind_t sf_parse_server(const char *json, size_t len, sf_server_msg_t *msg)
{
    memset(msg, 0, sizeof(*msg));
    msg->seq = -1;
    if (json == NULL || len == 0) {
        return malformed(msg, "empty message");
    }
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (root == NULL) {
        return malformed(msg, "not JSON");
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "type");
    sf_msg_kind_t kind;
    if (!cJSON_IsObject(root) || !cJSON_IsString(type) || type->valuestring == NULL) {
        kind = malformed(msg, "not a JSON object with a string type");
    } else if (strcmp(type->valuestring, "ready") == 0) {
        kind = parse_ready(root, msg);
    } else if (strcmp(type->valuestring, "transcript") == 0) {
        kind = parse_transcript(root, msg);
    } else if (strcmp(type->valuestring, "error") == 0) {
        kind = parse_error(root, msg);
    } else {
        msg->kind = kind = SF_MSG_UNKNOWN;
    }
    cJSON_Delete(root);
    return kind;
}
