/* Resume bookkeeping: the seqs a device has, the start of the next socket, where audio goes on. */
#include "sf_protocol.h"

#include <string.h>

void sf_session_init(sf_session_t *session)
{
    memset(session, 0, sizeof(*session));
    session->last_seq = -1;
}

void sf_session_forget(sf_session_t *session)
{
    uint32_t results = session->results;
    uint32_t duplicates = session->duplicates;
    sf_session_init(session);
    session->results = results;
    session->duplicates = duplicates;
}

void sf_session_fill_start(const sf_session_t *session, sf_start_t *start)
{
    start->session_id = session->has_session ? session->session_id : NULL;
    start->last_seq = session->has_session ? session->last_seq : -1;
    start->has_audio_ms = session->has_session && session->has_restart_ms;
    start->audio_ms = start->has_audio_ms ? session->restart_ms : 0;
}

sf_ready_plan_t sf_session_on_ready(sf_session_t *session, const sf_server_msg_t *ready, int64_t ring_oldest_ms)
{
    sf_ready_plan_t plan = {ready->resumed, 0, false};
    bool same = session->has_session && strcmp(session->session_id, ready->session_id) == 0;
    if (!ready->resumed || !same) {
        /* A new session: its clock starts at this socket's first frame. */
        sf_session_forget(session);
        memcpy(session->session_id, ready->session_id, sizeof(session->session_id));
        session->has_session = true;
        plan.resumed = false;
        return plan;
    }
    if (session->has_restart_ms) {
        /* This socket's start declared where its audio begins; the router skips or reports the difference. */
        plan.send_from_ms = session->restart_ms;
        session->has_restart_ms = false;
    } else {
        /* The router says how far it has everything; an older router does not, and then what was sent counts. */
        plan.send_from_ms = ready->has_audio_ms ? ready->audio_ms : session->sent_ms;
        if (plan.send_from_ms < ring_oldest_ms) {
            plan.gap = true;
            plan.send_from_ms = ring_oldest_ms + SF_GAP_MARGIN_MS;
            session->has_restart_ms = true;
            session->restart_ms = plan.send_from_ms;
        }
    }
    session->sent_ms = plan.send_from_ms;
    return plan;
}

void sf_session_sent(sf_session_t *session, uint32_t frame_ms)
{
    session->sent_ms += frame_ms;
}

sf_result_kind_t sf_session_on_result(sf_session_t *session, const sf_server_msg_t *msg)
{
    bool result = msg->kind == SF_MSG_TRANSCRIPT || (msg->kind == SF_MSG_ERROR && msg->has_seq);
    if (!result) {
        return SF_RESULT_NONE;
    }
    if (msg->seq <= session->last_seq) {
        session->duplicates++;
        return SF_RESULT_DUPLICATE;
    }
    /* Results arrive in seq order; the router reports a missing one with result_missing, so none is skipped. */
    session->last_seq = msg->seq;
    session->results++;
    return SF_RESULT_NEW;
}

sf_close_action_t sf_close_action(int close_code, bool stopping)
{
    switch (close_code) {
    case 1000:
        return stopping ? SF_CLOSE_DONE : SF_CLOSE_RESUME;
    case 4404: /* unknown_session: expired, or not this device's */
    case 4410: /* max_duration */
        return SF_CLOSE_NEW_SESSION;
    case 4400: /* invalid_start */
    case 4401: /* device_revoked */
    case 4403: /* provider_not_allowed */
    case 4415: /* unsupported_encoding */
    case 4416: /* unsupported_sample_rate */
        return SF_CLOSE_RETRY_SLOWLY;
    default:
        /* 1001, 1006 (no close frame), 1009, 1011, 4408, 4409, 4411, 4413, 4420, 4429, 4503, …: the
         * session still exists on the router; reconnect and resume it. */
        return SF_CLOSE_RESUME;
    }
}
