#include "settings.h"

#include <stdio.h>
#include <string.h>

#include "esp_log.h"
#include "esp_mac.h"
#include "nvs.h"

static const char *TAG = "settings";

/* NVS value if the key is set, else the menuconfig default. */
static void load_string(nvs_handle_t nvs, const char *key, const char *fallback, char *out, size_t cap)
{
    size_t length = cap;
    if (nvs != 0 && nvs_get_str(nvs, key, out, &length) == ESP_OK) {
        ESP_LOGI(TAG, "%s from NVS", key);
        return;
    }
    strlcpy(out, fallback, cap);
}

esp_err_t settings_load(device_settings_t *settings)
{
    memset(settings, 0, sizeof(*settings));
    nvs_handle_t nvs = 0;
    esp_err_t err = nvs_open("speechfleet", NVS_READONLY, &nvs);
    if (err != ESP_OK && err != ESP_ERR_NVS_NOT_FOUND) {
        return err;
    }
    if (err == ESP_ERR_NVS_NOT_FOUND) {
        nvs = 0; /* nothing stored yet: menuconfig values only */
    }
    load_string(nvs, "wifi_ssid", CONFIG_SF_WIFI_SSID, settings->wifi_ssid, sizeof(settings->wifi_ssid));
    load_string(nvs, "wifi_pass", CONFIG_SF_WIFI_PASSWORD, settings->wifi_password, sizeof(settings->wifi_password));
    load_string(nvs, "url", CONFIG_SF_SERVER_URL, settings->server_url, sizeof(settings->server_url));
    load_string(nvs, "device_id", CONFIG_SF_DEVICE_ID, settings->device_id, sizeof(settings->device_id));
    load_string(nvs, "token", CONFIG_SF_DEVICE_TOKEN, settings->token, sizeof(settings->token));
    if (nvs != 0) {
        nvs_close(nvs);
    }
    if (settings->device_id[0] == '\0') {
        uint8_t mac[6];
        ESP_ERROR_CHECK(esp_read_mac(mac, ESP_MAC_WIFI_STA));
        snprintf(settings->device_id, sizeof(settings->device_id), "esp32-%02x%02x%02x%02x%02x%02x", mac[0], mac[1],
                 mac[2], mac[3], mac[4], mac[5]);
    }
    size_t url_length = strlen(settings->server_url);
    while (url_length > 0 && settings->server_url[url_length - 1] == '/') {
        settings->server_url[--url_length] = '\0';
    }
    strlcpy(settings->language, CONFIG_SF_LANGUAGE, sizeof(settings->language));
    strlcpy(settings->policy, CONFIG_SF_POLICY, sizeof(settings->policy));
#if CONFIG_SF_ENCODING_OPUS
    settings->encoding = SF_ENCODING_OPUS;
#else
    settings->encoding = SF_ENCODING_PCM_S16LE;
#endif
    settings->frame_ms = CONFIG_SF_FRAME_MS;
    return ESP_OK;
}

bool settings_complete(const device_settings_t *settings)
{
    bool complete = true;
    if (settings->wifi_ssid[0] == '\0') {
        ESP_LOGE(TAG, "no Wi-Fi SSID: set it in menuconfig (Speech fleet device > Network) or NVS key wifi_ssid");
        complete = false;
    }
    if (strncmp(settings->server_url, "ws://", 5) != 0 && strncmp(settings->server_url, "wss://", 6) != 0) {
        ESP_LOGE(TAG, "no router URL (ws://… or wss://…): set it in menuconfig or NVS key url");
        complete = false;
    }
    if (settings->token[0] == '\0') {
        ESP_LOGE(TAG, "no device token: create the device with the router's admin API, store the token in NVS key token");
        complete = false;
    }
    return complete;
}
