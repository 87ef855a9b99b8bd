/* Device settings: menuconfig defaults, overridden by NVS (namespace "speechfleet"). */
#pragma once

#include <stdbool.h>

#include "esp_err.h"
#include "sf_protocol.h"

typedef struct {
    char wifi_ssid[33];
    char wifi_password[65];
    char server_url[192];
    char device_id[SF_SESSION_ID_MAX + 1];
    char token[128];
    char language[16];
    char policy[16];
    sf_encoding_t encoding;
    int frame_ms;
} device_settings_t;

/** Reads the settings; nvs_flash must be initialised. */
esp_err_t settings_load(device_settings_t *settings);
/** Whether the device has what it needs to stream (Wi-Fi, URL, token), logging what is missing. */
bool settings_complete(const device_settings_t *settings);
