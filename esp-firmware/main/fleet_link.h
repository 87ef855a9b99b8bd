/*
 * The session with router-service over esp_websocket_client: connect with the device token, start
 * (new or resumed), send the queued frames under the pacer, flush and stop, take ready / transcript /
 * error, and reconnect with exponential backoff and jitter after a drop, resuming where the router is.
 */
#pragma once

#include "device_audio.h"
#include "esp_err.h"
#include "settings.h"
#include "sf_protocol.h"

/** Called from the WebSocket client's task for each new result (a transcript, or an error for one seq). */
typedef void (*fleet_result_cb)(const sf_server_msg_t *result, void *context);

typedef struct {
    const device_settings_t *settings;
    device_audio_t *audio;
    fleet_result_cb on_result;
    void *context;
} fleet_link_config_t;

esp_err_t fleet_link_start(const fleet_link_config_t *config);
