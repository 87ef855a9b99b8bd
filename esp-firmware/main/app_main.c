/*
 * Speech fleet device: an INMP441-class I2S microphone on an ESP32-S3 streams speech (Opus by
 * default) to router-service and logs the transcripts. Tasks: capture (I2S -> ring, never blocked),
 * encoder (ring -> Opus/PCM frames -> bounded send queue), link (queue -> WebSocket; start, flush,
 * stop, resume). The protocol itself is the plain-C component sf_protocol, tested on the host.
 */
#include "device_audio.h"
#include "encoder.h"
#include "esp_log.h"
#include "fleet_link.h"
#include "mic_capture.h"
#include "nvs_flash.h"
#include "settings.h"
#include "wifi_link.h"

static const char *TAG = "main";

static device_settings_t s_settings;
static device_audio_t s_audio;

/* What an application does with transcripts goes here; this firmware counts and logs them. */
static void on_result(const sf_server_msg_t *result, void *context)
{
    uint32_t *count = context;
    (*count)++;
    if (result->kind == SF_MSG_TRANSCRIPT) {
        ESP_LOGI(TAG, "transcript %u (seq %lld): \"%s\"", (unsigned) *count, (long long) result->seq, result->text);
    } else {
        ESP_LOGW(TAG, "utterance %lld has no transcript: %s", (long long) result->seq, result->code);
    }
}

void app_main(void)
{
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);
    ESP_ERROR_CHECK(settings_load(&s_settings));
    if (!settings_complete(&s_settings)) {
        ESP_LOGE(TAG, "not streaming until the settings above are given");
        return;
    }
    ESP_ERROR_CHECK(device_audio_init(&s_audio, s_settings.encoding, s_settings.frame_ms));
    ESP_ERROR_CHECK(wifi_link_start(s_settings.wifi_ssid, s_settings.wifi_password));
    ESP_ERROR_CHECK(mic_capture_start(&s_audio));
    ESP_ERROR_CHECK(encoder_start(&s_audio));
    static uint32_t results;
    fleet_link_config_t link = {.settings = &s_settings, .audio = &s_audio, .on_result = on_result, .context = &results};
    ESP_ERROR_CHECK(fleet_link_start(&link));
}
