/* Wi-Fi station that keeps reconnecting; callers wait for an IP address. */
#pragma once

#include <stdbool.h>

#include "esp_err.h"
#include "freertos/FreeRTOS.h"

esp_err_t wifi_link_start(const char *ssid, const char *password);
/** Waits up to timeout for an IP address; true when the station has one. */
bool wifi_link_wait(TickType_t timeout);
