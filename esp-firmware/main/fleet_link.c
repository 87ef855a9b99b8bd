#include "fleet_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/gpio.h"
#include "esp_crt_bundle.h"
#include "esp_log.h"
#include "esp_random.h"
#include "esp_timer.h"
#include "esp_websocket_client.h"
#include "freertos/event_groups.h"
#include "wifi_link.h"

static const char *TAG = "fleet";

#define LINK_CONNECTED BIT0
#define LINK_READY BIT1
#define LINK_CLOSED BIT2
#define WS_OPCODE_TEXT 0x01
#define WS_OPCODE_CLOSE 0x08
#define CONNECT_TIMEOUT_MS 15000
#define SEND_TIMEOUT_MS 2000
#define PREROLL_MS 300      /* a session started by boot or the button keeps this much audio before it */
#define LONG_PRESS_MS 2000
#define RX_CAP 4096

static struct {
    fleet_link_config_t config;
    EventGroupHandle_t events;
    esp_websocket_client_handle_t client;
    /* Guarded by the audio lock: the WebSocket task and the link task both touch them. */
    sf_session_t session;
    sf_ready_plan_t plan;
    /* The next new session starts now (boot, button), not where sending stopped (set by the link task). */
    volatile bool fresh_start;
    /* Link task only, apart from close_code (WebSocket task, read after LINK_CLOSED). */
    volatile int close_code;
    volatile bool active;    /* the user wants a session */
    volatile bool stop_requested;
    bool stop_sent;
    sf_backoff_t backoff;
    sf_pacer_t pacer;
    char uri[256];
    char headers[192];
    uint8_t *frame;          /* one frame copied out of the queue while it is sent */
    /* WebSocket task only. */
    char rx[RX_CAP + 1];
    bool rx_overflow;
    sf_server_msg_t message;
} s;

static uint64_t now_ms(void)
{
    return (uint64_t) (esp_timer_get_time() / 1000);
}

/* ---------------------------------------------------------------- messages from the router (WebSocket task) */

static void on_ready(const sf_server_msg_t *msg)
{
    device_audio_t *audio = s.config.audio;
    device_audio_lock(audio);
    sf_ready_plan_t plan = sf_session_on_ready(&s.session, msg, device_audio_oldest_ms(audio));
    if (!plan.resumed) {
        uint64_t oldest = sf_ring_oldest(&audio->ring);
        uint64_t preroll = sf_ms_to_samples(PREROLL_MS, DEVICE_SAMPLE_RATE);
        uint64_t now = audio->ring.written > preroll ? audio->ring.written - preroll : 0;
        /* Started by boot or the button: from a moment ago. After an expired session: where sending
         * stopped, as far as the ring still has it. */
        uint64_t from = s.fresh_start ? now : audio->encode_pos;
        audio->origin = from > oldest ? from : oldest;
        audio->encode_pos = audio->origin;
        s.fresh_start = false;
    } else if (!plan.gap) {
        audio->encode_pos = audio->origin + sf_ms_to_samples(plan.send_from_ms, DEVICE_SAMPLE_RATE);
    }
    s.plan = plan;
    if (!plan.gap) {
        sf_sendq_clear(&audio->queue);
        audio->flush_at_ms = -1;
        audio->generation++;
        audio->streaming = true;
    }
    device_audio_unlock(audio);
    ESP_LOGI(TAG, "ready: session %s, %s at %lld ms%s", msg->session_id, plan.resumed ? "resumed" : "new",
             (long long) plan.send_from_ms, plan.gap ? " (the ring lost audio: restarting the socket)" : "");
    xEventGroupSetBits(s.events, LINK_READY);
}

static void on_result(const sf_server_msg_t *msg)
{
    device_audio_lock(s.config.audio);
    sf_result_kind_t kind = sf_session_on_result(&s.session, msg);
    device_audio_unlock(s.config.audio);
    if (kind == SF_RESULT_DUPLICATE) {
        ESP_LOGD(TAG, "ignored seq %lld: already received", (long long) msg->seq);
        return;
    }
    if (msg->kind == SF_MSG_TRANSCRIPT) {
        ESP_LOGI(TAG, "#%lld [%.2f-%.2f s] %s %.2f: %s", (long long) msg->seq, msg->start_ms / 1000.0,
                 msg->end_ms / 1000.0, msg->provider, msg->confidence, msg->text);
    } else {
        ESP_LOGW(TAG, "#%lld %s: %s", (long long) msg->seq, msg->code, msg->message);
    }
    if (s.config.on_result != NULL) {
        s.config.on_result(msg, s.config.context);
    }
}

static void on_text(const char *text, size_t length)
{
    sf_server_msg_t *msg = &s.message;
    switch (sf_parse_server(text, length, msg)) {
    case SF_MSG_READY:
        on_ready(msg);
        break;
    case SF_MSG_TRANSCRIPT:
        on_result(msg);
        break;
    case SF_MSG_ERROR:
        if (msg->has_seq) {
            on_result(msg);
        } else {
            ESP_LOGW(TAG, "router error %s: %s", msg->code, msg->message);
        }
        break;
    case SF_MSG_UNKNOWN:
        ESP_LOGD(TAG, "ignored a message of a type this firmware does not know");
        break;
    case SF_MSG_MALFORMED:
        ESP_LOGW(TAG, "ignored a malformed message: %s", msg->problem);
        break;
    }
}

static void on_ws_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void) arg;
    (void) base;
    const esp_websocket_event_data_t *event = data;
    switch (id) {
    case WEBSOCKET_EVENT_CONNECTED:
        xEventGroupSetBits(s.events, LINK_CONNECTED);
        break;
    case WEBSOCKET_EVENT_DATA:
        if (event->op_code == WS_OPCODE_CLOSE && event->data_len >= 2) {
            const uint8_t *code = (const uint8_t *) event->data_ptr;
            s.close_code = code[0] << 8 | code[1];
        } else if (event->op_code == WS_OPCODE_TEXT) {
            /* A message larger than the client's buffer arrives in pieces at increasing offsets. */
            if (event->payload_offset == 0) {
                s.rx_overflow = false;
            }
            if (event->payload_len > RX_CAP || event->payload_offset + event->data_len > RX_CAP) {
                s.rx_overflow = true;
            } else {
                memcpy(s.rx + event->payload_offset, event->data_ptr, (size_t) event->data_len);
            }
            if (event->payload_offset + event->data_len >= event->payload_len) {
                if (s.rx_overflow) {
                    ESP_LOGW(TAG, "ignored a text message of %d bytes", event->payload_len);
                } else {
                    on_text(s.rx, (size_t) event->payload_len);
                }
            }
        }
        break;
    case WEBSOCKET_EVENT_DISCONNECTED:
    case WEBSOCKET_EVENT_CLOSED:
        xEventGroupSetBits(s.events, LINK_CLOSED);
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------- button */

static void request_flush(void)
{
    device_audio_t *audio = s.config.audio;
    device_audio_lock(audio);
    if (audio->streaming) {
        audio->flush_at_ms = device_audio_session_ms(audio, audio->encode_pos);
    }
    device_audio_unlock(audio);
}

/* Short press: flush (or start a session); long press: stop the session. */
static void poll_button(void)
{
#if CONFIG_SF_FLUSH_BUTTON_GPIO >= 0
    static int64_t pressed_at = -1;
    static bool long_press;
    bool down = gpio_get_level(CONFIG_SF_FLUSH_BUTTON_GPIO) == 0;
    int64_t now = (int64_t) now_ms();
    if (down && pressed_at < 0) {
        pressed_at = now;
        long_press = false;
    } else if (down && !long_press && now - pressed_at >= LONG_PRESS_MS) {
        long_press = true;
        if (s.active) {
            ESP_LOGI(TAG, "button held: stopping the session");
            s.stop_requested = true;
        }
    } else if (!down && pressed_at >= 0) {
        if (!long_press && now - pressed_at >= 30) { /* shorter is contact bounce */
            if (!s.active) {
                ESP_LOGI(TAG, "button: starting a session");
                s.fresh_start = true;
                s.active = true;
            } else {
                request_flush();
            }
        }
        pressed_at = -1;
    }
#endif
}

/* ---------------------------------------------------------------- one socket (link task) */

static bool send_text(const char *text, int length)
{
    return length > 0 && esp_websocket_client_send_text(s.client, text, length, pdMS_TO_TICKS(SEND_TIMEOUT_MS)) == length;
}

/* Sends what is due: a flush whose audio is out, else a frame the pacer allows, else stop. False when nothing was. */
static bool send_next(void)
{
    device_audio_t *audio = s.config.audio;
    uint8_t *frame = s.frame;
    char text[32];
    sf_packet_t packet;
    device_audio_lock(audio);
    bool have = sf_sendq_peek(&audio->queue, &packet);
    if (audio->flush_at_ms >= 0 && (!have || (packet.data != NULL && packet.position_ms >= audio->flush_at_ms))) {
        audio->flush_at_ms = -1;
        device_audio_unlock(audio);
        return send_text(text, sf_build_flush(text, sizeof(text)));
    }
    if (have && sf_pacer_may_send(&s.pacer, now_ms(), (uint32_t) audio->frame_ms)) {
        size_t length = packet.length <= audio->queue.slot_bytes ? packet.length : 0;
        if (length > 0) {
            memcpy(frame, packet.data, length);
        }
        sf_sendq_pop(&audio->queue);
        sf_session_sent(&s.session, (uint32_t) audio->frame_ms);
        device_audio_unlock(audio);
        sf_pacer_sent(&s.pacer, (uint32_t) audio->frame_ms);
        /* An empty message stands for a frame the queue dropped: the router conceals it. */
        return esp_websocket_client_send_bin(s.client, (const char *) frame, (int) length,
                                             pdMS_TO_TICKS(SEND_TIMEOUT_MS)) >= 0;
    }
    bool idle = !have && audio->flush_at_ms < 0;
    if (idle && s.stop_requested && !s.stop_sent) {
        audio->streaming = false; /* nothing after stop: the router would refuse it */
        device_audio_unlock(audio);
        s.stop_sent = true;
        ESP_LOGI(TAG, "stop");
        return send_text(text, sf_build_stop(text, sizeof(text)));
    }
    device_audio_unlock(audio);
    return false;
}

static esp_websocket_client_handle_t open_client(void)
{
    esp_websocket_client_config_t config = {
        .uri = s.uri,
        .headers = s.headers,
        .crt_bundle_attach = esp_crt_bundle_attach,
        .disable_auto_reconnect = true, /* reconnects are ours: backoff, resume */
        .buffer_size = 2048,
        .task_stack = 8192,
        .network_timeout_ms = 10000,
        .ping_interval_sec = 10,
    };
    esp_websocket_client_handle_t client = esp_websocket_client_init(&config);
    if (client != NULL) {
        esp_websocket_register_events(client, WEBSOCKET_EVENT_ANY, on_ws_event, NULL);
    }
    return client;
}

/* One connection, from connect to close; returns how long to wait before the next one. */
static uint32_t run_socket(void)
{
    device_audio_t *audio = s.config.audio;
    xEventGroupClearBits(s.events, LINK_CONNECTED | LINK_READY | LINK_CLOSED);
    s.close_code = 0;
    s.stop_sent = false;
    s.client = open_client();
    if (s.client == NULL || esp_websocket_client_start(s.client) != ESP_OK) {
        ESP_LOGE(TAG, "cannot start the WebSocket client for %s", s.uri);
        s.close_code = 1006;
    } else {
        EventBits_t bits = xEventGroupWaitBits(s.events, LINK_CONNECTED | LINK_CLOSED, pdFALSE, pdFALSE,
                                               pdMS_TO_TICKS(CONNECT_TIMEOUT_MS));
        if ((bits & LINK_CONNECTED) != 0 && (bits & LINK_CLOSED) == 0) {
            char start_text[512];
            sf_start_t start = {.sample_rate = DEVICE_SAMPLE_RATE, .encoding = audio->encoding,
                                .language = s.config.settings->language,
                                .policy = s.config.settings->policy[0] != '\0' ? s.config.settings->policy : NULL};
            device_audio_lock(audio);
            sf_session_fill_start(&s.session, &start);
            int length = sf_build_start(&start, start_text, sizeof(start_text));
            device_audio_unlock(audio);
            send_text(start_text, length);
            bits = xEventGroupWaitBits(s.events, LINK_READY | LINK_CLOSED, pdFALSE, pdFALSE,
                                       pdMS_TO_TICKS(CONNECT_TIMEOUT_MS));
        }
        if ((bits & LINK_READY) != 0 && !s.plan.gap) {
            sf_pacer_start(&s.pacer, now_ms(), 2000, 1.25f); /* the router allows 3 s ahead and 1.5x */
            sf_backoff_reset(&s.backoff);
            while ((xEventGroupGetBits(s.events) & LINK_CLOSED) == 0) {
                poll_button();
                if (!send_next()) {
                    ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(20));
                }
            }
        }
    }
    device_audio_lock(audio);
    audio->streaming = false;
    bool gap = s.plan.gap;
    s.plan.gap = false;
    device_audio_unlock(audio);
    if (s.client != NULL) {
        if (esp_websocket_client_is_connected(s.client)) {
            esp_websocket_client_close(s.client, pdMS_TO_TICKS(1000));
        }
        esp_websocket_client_stop(s.client);
        esp_websocket_client_destroy(s.client);
        s.client = NULL;
    }
    int code = s.close_code != 0 ? s.close_code : 1006;
    if (gap) {
        return 0; /* the next start says where its audio begins */
    }
    switch (sf_close_action(code, s.stop_sent)) {
    case SF_CLOSE_DONE:
        ESP_LOGI(TAG, "session ended (%d)", code);
        device_audio_lock(audio);
        sf_session_forget(&s.session);
        device_audio_unlock(audio);
        s.active = false;
        s.stop_requested = false;
        return 0;
    case SF_CLOSE_NEW_SESSION:
        ESP_LOGW(TAG, "closed %d: the session cannot be resumed; starting a new one", code);
        device_audio_lock(audio);
        sf_session_forget(&s.session);
        device_audio_unlock(audio);
        return sf_backoff_next(&s.backoff);
    case SF_CLOSE_RETRY_SLOWLY:
        ESP_LOGE(TAG, "closed %d: the router refuses this device or its settings; retrying in %u ms", code,
                 (unsigned) s.backoff.cap_ms);
        return s.backoff.cap_ms;
    case SF_CLOSE_RESUME:
    default: {
        uint32_t delay = sf_backoff_next(&s.backoff);
        ESP_LOGW(TAG, "closed %d; resuming in %u ms", code, (unsigned) delay);
        return delay;
    }
    }
}

static void link_task(void *arg)
{
    (void) arg;
    for (;;) {
        poll_button();
        if (!s.active || !wifi_link_wait(pdMS_TO_TICKS(20))) {
            vTaskDelay(pdMS_TO_TICKS(20));
            continue;
        }
        uint64_t resume_at = now_ms() + run_socket();
        while (s.active && now_ms() < resume_at) {
            poll_button();
            vTaskDelay(pdMS_TO_TICKS(20));
        }
    }
}

esp_err_t fleet_link_start(const fleet_link_config_t *config)
{
    s.config = *config;
    s.events = xEventGroupCreate();
    s.frame = malloc(config->audio->queue.slot_bytes);
    if (s.events == NULL || s.frame == NULL) {
        return ESP_ERR_NO_MEM;
    }
    sf_session_init(&s.session);
    sf_backoff_init(&s.backoff, CONFIG_SF_BACKOFF_BASE_MS, CONFIG_SF_BACKOFF_MAX_MS, esp_random());
    int n = snprintf(s.uri, sizeof(s.uri), "%s/ws/%s", config->settings->server_url, config->settings->device_id);
    int m = snprintf(s.headers, sizeof(s.headers), "Authorization: Bearer %s\r\n", config->settings->token);
    if (n >= (int) sizeof(s.uri) || m >= (int) sizeof(s.headers)) {
        return ESP_ERR_INVALID_SIZE;
    }
#if CONFIG_SF_FLUSH_BUTTON_GPIO >= 0
    gpio_config_t button = {.pin_bit_mask = 1ULL << CONFIG_SF_FLUSH_BUTTON_GPIO, .mode = GPIO_MODE_INPUT,
                            .pull_up_en = GPIO_PULLUP_ENABLE, .pull_down_en = GPIO_PULLDOWN_DISABLE,
                            .intr_type = GPIO_INTR_DISABLE};
    ESP_ERROR_CHECK(gpio_config(&button));
#endif
    s.fresh_start = true;
    s.active = CONFIG_SF_AUTO_START;
    ESP_LOGI(TAG, "device %s, router %s, %s %d ms frames", config->settings->device_id, s.uri,
             sf_encoding_name(config->audio->encoding), config->audio->frame_ms);
    BaseType_t created = xTaskCreatePinnedToCore(link_task, "fleet_link", 6144, NULL, 6, &config->audio->link_task, 0);
    return created == pdPASS ? ESP_OK : ESP_ERR_NO_MEM;
}
